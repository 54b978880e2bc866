package pdata

import (
	"bytes"
	"errors"
	"strings"
	"testing"
)

func TestParseLine(t *testing.T) {
	cases := []struct {
		in      string
		name    string
		value   float64
		attrs   int
		wantErr bool
	}{
		{in: "cpu.load 0.5 host=a dc=x", name: "cpu.load", value: 0.5, attrs: 2},
		{in: "requests 12", name: "requests", value: 12},
		{in: "bad", wantErr: true},
		{in: "bad NaNx", wantErr: true},
		{in: "m 1 novalue", wantErr: true},
	}
	for _, tc := range cases {
		rec, err := ParseLine(tc.in)
		if tc.wantErr {
			if err == nil {
				t.Errorf("ParseLine(%q): want error", tc.in)
			}
			continue
		}
		if err != nil {
			t.Errorf("ParseLine(%q): %v", tc.in, err)
			continue
		}
		if rec.Name != tc.name || rec.Value != tc.value || len(rec.Attrs) != tc.attrs {
			t.Errorf("ParseLine(%q) = %+v", tc.in, rec)
		}
	}
	if _, err := ParseLine("  # comment"); !errors.Is(err, ErrEmptyLine) {
		t.Errorf("comment: err = %v, want ErrEmptyLine", err)
	}
}

func TestJSONRoundTrip(t *testing.T) {
	in := `{"source":"t","records":[{"name":"a","value":1},{"name":"b","kind":"log","body":"hi"}]}`
	b, err := DecodeJSON(strings.NewReader(in), 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	if b.Len() != 2 || b.Records[0].Kind != KindMetric || b.Records[0].Time.IsZero() {
		t.Fatalf("decoded %+v", b)
	}
	var buf bytes.Buffer
	if err := EncodeJSONL(&buf, b); err != nil {
		t.Fatal(err)
	}
	if n := strings.Count(buf.String(), "\n"); n != 2 {
		t.Fatalf("encoded %d lines, want 2", n)
	}
}

func TestSplitCoversAllRecords(t *testing.T) {
	var b Batch
	for i := 0; i < 10; i++ {
		b.Append(Record{Name: "m", Value: float64(i)})
	}
	for n := 1; n <= 12; n++ {
		parts := Split(b, n)
		total := 0
		for _, p := range parts {
			total += p.Len()
		}
		if total != 10 || len(parts) > n {
			t.Errorf("Split(10, %d): %d parts, %d records", n, len(parts), total)
		}
	}
}
