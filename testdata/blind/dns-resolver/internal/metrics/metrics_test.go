package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestTrackRecordsDuration(t *testing.T) {
	r := NewRegistry()
	func() {
		defer r.Track("op")()
		time.Sleep(time.Millisecond)
	}()
	if got := r.Counter("op_total").Value(); got != 1 {
		t.Errorf("op_total = %d, want 1", got)
	}
	if got := r.Histogram("op_seconds").Count(); got != 1 {
		t.Errorf("op_seconds count = %d, want 1", got)
	}
}

func TestHistogramBuckets(t *testing.T) {
	h := NewHistogram([]time.Duration{time.Millisecond, time.Second})
	h.Observe(500 * time.Microsecond)
	h.Observe(2 * time.Second)
	var sb strings.Builder
	if err := h.writeText(&sb, "x"); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`x_bucket{le="0.001"} 1`, `x_bucket{le="+Inf"} 2`, "x_count 2"} {
		if !strings.Contains(sb.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, sb.String())
		}
	}
}

func TestWriteTextSurvivesBrokenGauge(t *testing.T) {
	r := NewRegistry()
	r.RegisterGauge("ok", func() int64 { return 7 })
	r.RegisterGauge("broken", func() int64 { panic("boom") })
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "dnsd_ok 7") {
		t.Errorf("gauge missing:\n%s", sb.String())
	}
}
