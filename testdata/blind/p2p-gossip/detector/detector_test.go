package detector

import (
	"context"
	"errors"
	"testing"
	"time"
)

type fakeProber struct {
	delay time.Duration
	down  map[string]bool
}

func (f *fakeProber) Ping(ctx context.Context, addr string) (time.Duration, error) {
	select {
	case <-time.After(f.delay):
	case <-ctx.Done():
		return 0, ctx.Err()
	}
	if f.down[addr] {
		return 0, errors.New("connection refused")
	}
	return f.delay, nil
}

func (f *fakeProber) PingVia(ctx context.Context, helper, target string) error {
	_, err := f.Ping(ctx, target)
	return err
}

func TestExpireCallsOnDead(t *testing.T) {
	dead := make(chan string, 1)
	d := New(20*time.Millisecond, func(id string) { dead <- id })
	t.Cleanup(d.Stop)
	d.Observe("a")
	select {
	case id := <-dead:
		if id != "a" {
			t.Fatalf("dead %q", id)
		}
	case <-time.After(time.Second):
		t.Fatal("timer never fired")
	}
}

func TestIndirectProbe(t *testing.T) {
	p := &fakeProber{delay: time.Millisecond}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if !IndirectProbe(ctx, p, []string{"h1", "h2"}, "target") {
		t.Fatal("expected an ack")
	}
	p.down = map[string]bool{"target": true}
	if IndirectProbe(ctx, p, []string{"h1", "h2"}, "target") {
		t.Fatal("expected no ack for a down target")
	}
}

func TestProbeCtxTimeout(t *testing.T) {
	p := &fakeProber{delay: time.Second}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()
	if _, err := ProbeCtx(ctx, p, "slow"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("got %v", err)
	}
}
