package group

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

func TestWaitReturnsFirstError(t *testing.T) {
	g, ctx := WithContext(context.Background())
	boom := errors.New("boom")
	g.Go(func() error { return boom })
	g.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	if err := g.Wait(); !errors.Is(err, boom) {
		t.Fatalf("Wait = %v, want boom", err)
	}
}

func TestLimit(t *testing.T) {
	var g Group
	g.SetLimit(2)
	var running, peak atomic.Int32
	for i := 0; i < 10; i++ {
		g.Go(func() error {
			n := running.Add(1)
			defer running.Add(-1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if peak.Load() > 2 {
		t.Fatalf("peak = %d, want <= 2", peak.Load())
	}
}

func TestGoSafeRecovers(t *testing.T) {
	var g Group
	g.GoSafe(func() error { panic("bad input") })
	if err := g.Wait(); err == nil {
		t.Fatal("want error from panicking task")
	}
}
