package pipeline

import (
	"context"
	"errors"
	"strings"
	"testing"
)

type panicky struct{ events []string }

func (p *panicky) Init(context.Context) error { return nil }

func (p *panicky) Handle(_ context.Context, it Item) error {
	if it.Key == "boom" {
		panic("handler exploded")
	}
	return nil
}

func (p *panicky) Event(kind string) { p.events = append(p.events, kind) }

func TestRunCallsCloseHook(t *testing.T) {
	closed := false
	s := NewStage("t", func(context.Context, Item) error { return nil }, WithCloseHook(func() { closed = true }))
	in := make(chan Item, 2)
	in <- Item{Key: "a"}
	in <- Item{Key: "b"}
	close(in)
	if err := s.Run(context.Background(), in); err != nil {
		t.Fatalf("Run: %v", err)
	}
	if !closed {
		t.Fatal("close hook did not run")
	}
	if got := s.Stats(); got.Out != 2 {
		t.Fatalf("Out = %d, want 2", got.Out)
	}
}

func TestFlushJoinsErrors(t *testing.T) {
	bad := errors.New("bad")
	s := NewStage("f", func(_ context.Context, it Item) error {
		if strings.HasPrefix(it.Key, "x") {
			return bad
		}
		return nil
	}, WithFlushHook(nil))
	n, err := s.Flush(context.Background(), []Item{{Key: "a"}, {Key: "x1"}, {Key: "x2"}})
	if n != 1 || !errors.Is(err, bad) {
		t.Fatalf("Flush = %d, %v", n, err)
	}
}

func TestPluginCallRecovers(t *testing.T) {
	p := NewPlugin("px", &panicky{}, 1)
	err := p.Call(context.Background(), Item{Key: "boom"})
	if err == nil || !strings.Contains(err.Error(), "panic") {
		t.Fatalf("Call error = %v, want a panic error", err)
	}
	if p.Panics() != 1 {
		t.Fatalf("Panics = %d, want 1", p.Panics())
	}
}

func TestProcessLeasedReturnsLease(t *testing.T) {
	pool := NewLeasePool(1)
	w := NewWorker(pool, NewStage("w", func(context.Context, Item) error { return nil }), true)
	for i := 0; i < 3; i++ {
		if _, err := w.ProcessLeased(context.Background(), []Item{{Key: "k"}}); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}
}
