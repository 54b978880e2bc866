package telemetry

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"
)

func sample(dev string, v float64, at time.Time) Sample {
	return Sample{DeviceID: dev, Metric: "temp", Value: v, At: at}
}

func TestRingOverwritesOldest(t *testing.T) {
	r := NewRing(3)
	base := time.Unix(1700000000, 0)
	for i := 0; i < 5; i++ {
		r.Push(sample("d1", float64(i), base.Add(time.Duration(i)*time.Second)))
	}
	if r.Len() != 3 || r.Dropped() != 2 {
		t.Fatalf("len=%d dropped=%d", r.Len(), r.Dropped())
	}
	got := r.Drain()
	if got[0].Value != 2 || got[2].Value != 4 || r.Len() != 0 {
		t.Fatalf("drained %+v", got)
	}
}

func TestQueryFiltersByDeviceAndTime(t *testing.T) {
	r := NewRing(10)
	base := time.Unix(1700000000, 0)
	r.PushAll([]Sample{
		sample("d1", 1, base),
		sample("d2", 2, base.Add(time.Second)),
		sample("d1", 3, base.Add(2*time.Second)),
	})
	got := r.Query("d1", "", base.Add(time.Second))
	if len(got) != 1 || got[0].Value != 3 {
		t.Fatalf("query = %+v", got)
	}
}

func TestCodecRoundTrip(t *testing.T) {
	at := time.UnixMilli(1700000000123)
	in := []Sample{{Metric: "rssi", Value: -71, At: at}, {Metric: "battery", Value: 3.7, At: at}}
	out, err := DecodeSamples("dev-9", EncodeSamples(in))
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 2 || out[1].Metric != "battery" || out[1].Value != 3.7 || !out[0].At.Equal(at) || out[0].DeviceID != "dev-9" {
		t.Fatalf("decoded %+v", out)
	}
}

func TestSegmentWriteAndArchive(t *testing.T) {
	dir := t.TempDir()
	plain := filepath.Join(dir, "seg-1.jsonl")
	in := []Sample{sample("d1", 1, time.Unix(1, 0)), sample("d1", 2, time.Unix(2, 0))}
	if err := writeSegment(plain, in); err != nil {
		t.Fatal(err)
	}
	if err := ArchiveTo(plain, plain+".gz"); err != nil {
		t.Fatal(err)
	}
	got, err := ReadSegment(plain + ".gz")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 2 {
		t.Fatalf("read %d samples", len(got))
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, got); err != nil {
		t.Fatal(err)
	}
}
