package head

import (
	"errors"
	"testing"

	"example.com/tsdb/model"
)

func TestAppendAndSelect(t *testing.T) {
	h := New(Options{StripeSize: 16})
	ls := model.FromStrings(model.MetricName, "up", "job", "node")
	for ts := int64(1000); ts <= 5000; ts += 1000 {
		if _, err := h.Append(ls, ts, 1); err != nil {
			t.Fatalf("append %d: %v", ts, err)
		}
	}
	if _, err := h.Append(ls, 3000, 1); !errors.Is(err, ErrOutOfOrder) {
		t.Fatalf("want ErrOutOfOrder, got %v", err)
	}
	got := h.Select(2000, 4000)
	if len(got) != 1 || len(got[0].Samples) != 3 {
		t.Fatalf("unexpected select result: %+v", got)
	}
	if h.MinTime() != 1000 || h.MaxTime() != 5000 {
		t.Fatalf("bounds = [%d, %d]", h.MinTime(), h.MaxTime())
	}
}

func TestStripeGC(t *testing.T) {
	s := newStripeSeries(4)
	next := uint64(0)
	newRef := func() uint64 { next++; return next }
	for i := 0; i < 8; i++ {
		ls := model.FromStrings("i", string(rune('a'+i)))
		ms, _ := s.getOrCreate(ls.Hash(), ls, newRef)
		ms.mu.Lock()
		if err := ms.appendLocked(int64(i*100), 1); err != nil {
			ms.mu.Unlock()
			t.Fatal(err)
		}
		ms.mu.Unlock()
	}
	if removed := s.gc(450); removed != 5 {
		t.Fatalf("removed %d series, want 5", removed)
	}
	if n := s.count(); n != 3 {
		t.Fatalf("count = %d, want 3", n)
	}
}
