package transform

import (
	"context"
	"errors"
	"testing"

	"example.com/etl/internal/record"
)

func mustPanic(t *testing.T, fn func()) {
	t.Helper()
	defer func() {
		if recover() == nil {
			t.Fatal("expected a panic")
		}
	}()
	fn()
}

func TestRenameRejectsEmptyNames(t *testing.T) {
	mustPanic(t, func() { Rename("", "id") })
}

func TestChainStopsAtDrop(t *testing.T) {
	calls := 0
	count := func(r record.Record) (record.Record, error) { calls++; return r, nil }
	drop := Filter(func(record.Record) bool { return false })
	out, err := Chain(drop, count)(record.Record{"id": "1"})
	if err != nil || out != nil || calls != 0 {
		t.Fatalf("got %v, %v after %d calls", out, err, calls)
	}
}

func TestPoolRun(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	in := make(chan record.Record)
	go func() {
		defer close(in)
		for _, id := range []string{"1", "", "3"} {
			in <- record.Record{"id": id}
		}
	}()
	p := &Pool{Workers: 2, Step: Require("id")}
	out, fails := p.Run(ctx, in)
	var ok, bad int
	for out != nil || fails != nil {
		select {
		case _, more := <-out:
			if !more {
				out = nil
				continue
			}
			ok++
		case _, more := <-fails:
			if !more {
				fails = nil
				continue
			}
			bad++
		}
	}
	if ok != 2 || bad != 1 {
		t.Fatalf("ok=%d bad=%d", ok, bad)
	}
}

func TestApplyEachReportsError(t *testing.T) {
	fail := func(record.Record) (record.Record, error) { return nil, errors.New("nope") }
	batches := [][]record.Record{{{"id": "1"}}, {{"id": "2"}}}
	if err := ApplyEach(context.Background(), batches, fail); err == nil {
		t.Fatal("expected an error")
	}
}
