package metrics

import (
	"strings"
	"testing"
	"time"
)

func TestCountersAndSnapshot(t *testing.T) {
	r := NewRegistry()
	r.Inc("frames")
	r.Add("frames", 4)
	snap := r.Snapshot()
	r.Inc("frames")
	if snap["frames"] != 5 {
		t.Fatalf("snapshot = %d, want 5", snap["frames"])
	}
	if got := r.Counter("frames"); got != 6 {
		t.Fatalf("counter = %d, want 6", got)
	}
}

func TestTimerObserves(t *testing.T) {
	r := NewRegistry()
	func() {
		defer r.Timer("op")()
		time.Sleep(time.Millisecond)
	}()
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "op_count 1") {
		t.Fatalf("missing timing in:\n%s", sb.String())
	}
}
