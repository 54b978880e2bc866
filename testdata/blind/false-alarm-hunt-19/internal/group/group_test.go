package group

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestFirstErrorCancelsContext(t *testing.T) {
	g, ctx := WithContext(context.Background())
	boom := errors.New("boom")
	g.Go(func() error { return boom })
	g.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	if err := g.Wait(); !errors.Is(err, boom) {
		t.Fatalf("Wait = %v, want %v", err, boom)
	}
}

func TestSetLimitBoundsConcurrency(t *testing.T) {
	var g Group
	g.SetLimit(2)
	var active, peak atomic.Int32
	for range 10 {
		g.Go(func() error {
			n := active.Add(1)
			for {
				p := peak.Load()
				if n <= p || peak.CompareAndSwap(p, n) {
					break
				}
			}
			time.Sleep(time.Millisecond)
			active.Add(-1)
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		t.Fatal(err)
	}
	if p := peak.Load(); p > 2 {
		t.Fatalf("peak concurrency %d, want <= 2", p)
	}
}

func TestFirstOfReturnsFastest(t *testing.T) {
	slow := func(ctx context.Context) (string, error) {
		select {
		case <-time.After(time.Second):
			return "slow", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	fast := func(context.Context) (string, error) { return "fast", nil }
	got, err := FirstOf(context.Background(), slow, fast)
	if err != nil || got != "fast" {
		t.Fatalf("FirstOf = %q, %v", got, err)
	}
}
