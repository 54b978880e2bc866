package metrics

import (
	"strings"
	"testing"
)

func TestWriteTextIsSorted(t *testing.T) {
	r := NewRegistry()
	r.Inc("b_total")
	r.Add("a_total", 2)
	r.SetGauge("queue_depth", 7)
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	out := sb.String()
	if strings.Index(out, "a_total 2") > strings.Index(out, "b_total 1") {
		t.Errorf("counters not sorted:\n%s", out)
	}
	if !strings.Contains(out, "queue_depth 7") {
		t.Errorf("gauge missing:\n%s", out)
	}
}

func TestTimerRecordsObservation(t *testing.T) {
	r := NewRegistry()
	func() {
		defer r.Timer("op_seconds")()
	}()
	var sb strings.Builder
	if err := r.WriteText(&sb); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(sb.String(), "op_seconds_count 1") {
		t.Fatalf("timer observation missing:\n%s", sb.String())
	}
}

func TestValue(t *testing.T) {
	r := NewRegistry()
	r.Add("x", 3)
	if v, ok := r.Value("x"); !ok || v != 3 {
		t.Fatalf("Value = %v, %v", v, ok)
	}
	if _, ok := r.Value("missing"); ok {
		t.Fatal("missing metric reported present")
	}
}
