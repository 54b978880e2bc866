package tsdb

import (
	"testing"

	"example.com/tsdb/model"
)

func TestSampleRecordRoundTrip(t *testing.T) {
	lset := model.FromStrings(model.MetricName, "http_requests_total", "code", "200")
	rec := encodeSample(nil, lset, 1700000000123, 42.5)
	got, ts, v, err := decodeSample(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !got.Equal(lset) || ts != 1700000000123 || v != 42.5 {
		t.Fatalf("decoded %s %d %v", got, ts, v)
	}
	if _, _, _, err := decodeSample(rec[:len(rec)-3]); err == nil {
		t.Fatal("expected error for truncated record")
	}
}
