package router

import (
	"context"
	"errors"
	"testing"
	"time"

	"example.com/faas/internal/metrics"
	"example.com/faas/internal/sandbox"
)

// newTestRouter returns a router whose sandboxes are in-process handlers.
func newTestRouter(t *testing.T, h sandbox.HandlerFunc) *Router {
	t.Helper()
	factory := func(ctx context.Context, id string, spec sandbox.Spec) (sandbox.Sandbox, error) {
		return sandbox.NewGoroutineSandbox(id, spec.Function, h), nil
	}
	specs := func(fn string) (sandbox.Spec, error) {
		return sandbox.Spec{Function: fn, Runtime: "go", Command: []string{"true"}}, nil
	}
	pool := sandbox.NewPool(sandbox.NewColdStarter(factory, specs, 4), 4, 4)
	t.Cleanup(pool.Close)
	return New(pool, metrics.NewAggregator(nil, time.Hour), metrics.NewMeter(16), time.Second)
}

func TestInvokeUnknownFunction(t *testing.T) {
	r := newTestRouter(t, func(ctx context.Context, p []byte) ([]byte, error) { return p, nil })
	if _, err := r.Invoke(context.Background(), "nope", nil); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("err = %v, want ErrNoRoute", err)
	}
}

func TestFanoutStopsAtDeadline(t *testing.T) {
	r := newTestRouter(t, func(ctx context.Context, p []byte) ([]byte, error) {
		if string(p) == "slow" {
			<-ctx.Done()
			return nil, ctx.Err()
		}
		return p, nil
	})
	for _, fn := range []string{"a", "b"} {
		if err := r.Register(Route{Function: fn, Runtime: "go"}); err != nil {
			t.Fatal(err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	got := r.Fanout(ctx, []string{"a", "b"}, []byte("fast"))
	if len(got) != 2 || got["a"].Error != "" {
		t.Errorf("Fanout = %+v", got)
	}
	if n := r.InFlight(); n != 0 {
		t.Errorf("in flight after fanout = %d", n)
	}
}

func TestInvokePinnedWithoutRoute(t *testing.T) {
	r := newTestRouter(t, func(ctx context.Context, p []byte) ([]byte, error) { return p, nil })
	if _, err := r.InvokePinned(context.Background(), "ghost", nil); !errors.Is(err, ErrNoRoute) {
		t.Fatalf("err = %v", err)
	}
	if r.Pinned("ghost") {
		t.Error("ghost is pinned")
	}
}
