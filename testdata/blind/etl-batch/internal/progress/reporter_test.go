package progress

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"
)

func TestTrackRecordsTiming(t *testing.T) {
	var buf bytes.Buffer
	r := Start(&buf, time.Hour)
	defer r.Stop()

	want := errors.New("boom")
	if err := r.Track("load", func() error { return want }); !errors.Is(err, want) {
		t.Fatalf("Track = %v, want %v", err, want)
	}
	if _, ok := r.Snapshot().Timings["load"]; !ok {
		t.Fatal("no timing recorded for load")
	}
}

func TestSummaryWriteTo(t *testing.T) {
	s := Summary{
		Elapsed: 1500 * time.Millisecond,
		Counts:  map[string]int64{"extract": 3, "load": 2},
		Timings: map[string]time.Duration{"extract": time.Second},
	}
	var buf bytes.Buffer
	if _, err := s.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "extract") || !strings.Contains(buf.String(), "total elapsed 1.5s") {
		t.Fatalf("unexpected summary:\n%s", buf.String())
	}
}
