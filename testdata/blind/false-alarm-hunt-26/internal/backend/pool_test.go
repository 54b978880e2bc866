package backend

import (
	"errors"
	"testing"
)

func newTestPool(t *testing.T, names ...string) *Pool {
	t.Helper()
	bs := make([]*Backend, 0, len(names))
	for _, n := range names {
		bs = append(bs, New(n, "127.0.0.1:0", 2))
	}
	p, err := NewPool(bs...)
	if err != nil {
		t.Fatalf("NewPool: %v", err)
	}
	return p
}

func TestPickSkipsDown(t *testing.T) {
	p := newTestPool(t, "a", "b")
	a, _ := p.Get("a")
	if !a.ReportFailure(errors.New("connection refused"), 1) {
		t.Fatal("a should be down after one failure with threshold 1")
	}
	for i := 0; i < 4; i++ {
		b, err := p.Pick()
		if err != nil {
			t.Fatalf("Pick: %v", err)
		}
		if b.Name != "b" {
			t.Fatalf("Pick returned %s, want b", b.Name)
		}
	}
}

func TestAcquireLimit(t *testing.T) {
	b := New("a", "127.0.0.1:0", 2)
	for i := 0; i < 2; i++ {
		if err := b.Acquire(); err != nil {
			t.Fatalf("Acquire %d: %v", i, err)
		}
	}
	if err := b.Acquire(); !errors.Is(err, ErrSaturated) {
		t.Fatalf("third Acquire = %v, want ErrSaturated", err)
	}
	b.Release()
	if err := b.Acquire(); err != nil {
		t.Fatalf("Acquire after Release: %v", err)
	}
}

func TestDrainAll(t *testing.T) {
	p := newTestPool(t, "a", "b", "c")
	if n := p.DrainAll(); n != 3 {
		t.Fatalf("DrainAll = %d, want 3", n)
	}
	if n := p.DrainAll(); n != 0 {
		t.Fatalf("second DrainAll = %d, want 0", n)
	}
	if _, err := p.Pick(); !errors.Is(err, ErrNoHealthy) {
		t.Fatalf("Pick on drained pool = %v", err)
	}
}

func TestRemove(t *testing.T) {
	p := newTestPool(t, "a", "b", "c")
	snap := p.Snapshot()
	if _, ok := p.Remove("b"); !ok {
		t.Fatal("Remove(b) = false")
	}
	if p.Len() != 2 {
		t.Fatalf("Len = %d, want 2", p.Len())
	}
	if len(snap) != 3 || snap[1].Name != "b" {
		t.Fatal("Remove modified an earlier snapshot")
	}
}
