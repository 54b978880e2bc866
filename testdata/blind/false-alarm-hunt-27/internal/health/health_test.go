package health

import (
	"context"
	"errors"
	"io"
	"log"
	"testing"
	"time"
)

func replica(name string, delay time.Duration, err error) Replica {
	return Replica{Name: name, Ping: func(ctx context.Context) error {
		select {
		case <-time.After(delay):
			return err
		case <-ctx.Done():
			return ctx.Err()
		}
	}}
}

func quietChecker(replicas ...Replica) *Checker {
	return NewChecker(time.Second, log.New(io.Discard, "", 0), replicas...)
}

func TestFastestPicksLowestLatency(t *testing.T) {
	c := quietChecker(
		replica("slow", 30*time.Millisecond, nil),
		replica("fast", time.Millisecond, nil),
		replica("down", time.Millisecond, errors.New("refused")),
	)
	got, err := c.Fastest(context.Background())
	if err != nil {
		t.Fatalf("Fastest: %v", err)
	}
	if got != "fast" {
		t.Fatalf("Fastest = %q, want fast", got)
	}
}

func TestStreamClosesAfterAllResults(t *testing.T) {
	c := quietChecker(replica("a", 0, nil), replica("b", 0, nil))
	out := make(chan Result)
	go c.Stream(context.Background(), out)
	n := 0
	for range out {
		n++
	}
	if n != 2 {
		t.Fatalf("got %d results, want 2", n)
	}
}

func TestRunChecksIsolatedSurvivesPanic(t *testing.T) {
	c := quietChecker()
	failed := c.RunChecksIsolated(context.Background(), map[string]Check{
		"ok":    func(context.Context) error { return nil },
		"lag":   func(context.Context) error { return errors.New("lag 30s") },
		"buggy": func(context.Context) error { panic("nil map") },
	})
	if len(failed) != 2 || failed[0] != "buggy" || failed[1] != "lag" {
		t.Fatalf("failed = %v, want [buggy lag]", failed)
	}
}

func TestLivenessWithoutHook(t *testing.T) {
	c := quietChecker(replica("a", 0, nil))
	if err := c.Liveness(context.Background()); err != nil {
		t.Fatalf("Liveness: %v", err)
	}
}
