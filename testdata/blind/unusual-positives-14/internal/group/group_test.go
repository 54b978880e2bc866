package group

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"
)

func TestGroupReturnsFirstError(t *testing.T) {
	g, ctx := WithContext(context.Background())
	boom := errors.New("boom")
	g.Go(func() error { return boom })
	g.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	if err := g.Wait(); !errors.Is(err, boom) {
		t.Fatalf("Wait() = %v, want boom", err)
	}
}

func TestRaceReturnsFastest(t *testing.T) {
	slow := func(ctx context.Context) (string, error) {
		select {
		case <-time.After(time.Second):
			return "slow", nil
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	fast := func(context.Context) (string, error) { return "fast", nil }
	v, err := Race(context.Background(), slow, fast)
	if err != nil || v != "fast" {
		t.Fatalf("Race = %q, %v", v, err)
	}
}

func TestProtectConvertsPanic(t *testing.T) {
	err := Protect("job", func() error { panic("kaput") })
	if err == nil || !strings.Contains(err.Error(), "kaput") {
		t.Fatalf("Protect = %v", err)
	}
}

func TestPoolProcessesAll(t *testing.T) {
	var n atomic.Int64
	p := NewPool(4, func(v int) { n.Add(int64(v)) })
	p.Start(3)
	for i := 1; i <= 10; i++ {
		if err := p.Submit(context.Background(), i); err != nil {
			t.Fatal(err)
		}
	}
	p.Close()
	if got := n.Load(); got != 55 {
		t.Fatalf("sum = %d, want 55", got)
	}
}
