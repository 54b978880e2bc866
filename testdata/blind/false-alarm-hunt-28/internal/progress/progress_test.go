package progress

import (
	"bytes"
	"strings"
	"testing"
	"time"
)

func TestStopPrintsFinalLine(t *testing.T) {
	var buf bytes.Buffer
	r := Start(&buf, "build", 3, time.Hour)
	r.Add(3)
	r.Stop()
	r.Stop() // idempotent
	if got := buf.String(); !strings.Contains(got, "build 3/3 (100%)") {
		t.Fatalf("final line missing: %q", got)
	}
}

func TestTrackStopsReporter(t *testing.T) {
	var buf bytes.Buffer
	var seen *Reporter
	err := Track(&buf, "pack", 0, func(r *Reporter) error {
		seen = r
		r.Add(2)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	select {
	case <-seen.stopped:
	default:
		t.Fatal("reporter still running after Track returned")
	}
}
