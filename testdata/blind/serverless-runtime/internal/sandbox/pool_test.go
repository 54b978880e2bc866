package sandbox

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"
	"testing"
	"time"
)

// fakeSandbox is a Sandbox that echoes its payload.
type fakeSandbox struct {
	id, fn string
	dead   atomic.Bool
	calls  atomic.Int64
}

func (f *fakeSandbox) ID() string       { return f.id }
func (f *fakeSandbox) Function() string { return f.fn }
func (f *fakeSandbox) Alive() bool      { return !f.dead.Load() }
func (f *fakeSandbox) Kill()            { f.dead.Store(true) }

func (f *fakeSandbox) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if f.dead.Load() {
		return nil, ErrDead
	}
	f.calls.Add(1)
	select {
	case <-ctx.Done():
		return nil, ctx.Err()
	default:
		return payload, nil
	}
}

// newTestPool returns a pool whose factory makes fake sandboxes.
func newTestPool(t *testing.T, quota, maxIdle int) (*Pool, *atomic.Int64) {
	t.Helper()
	var made atomic.Int64
	factory := func(ctx context.Context, id string, spec Spec) (Sandbox, error) {
		made.Add(1)
		return &fakeSandbox{id: id, fn: spec.Function}, nil
	}
	specs := func(fn string) (Spec, error) {
		return Spec{Function: fn, Runtime: "test", Command: []string{"true"}}, nil
	}
	p := NewPool(NewColdStarter(factory, specs, 2), quota, maxIdle)
	t.Cleanup(p.Close)
	return p, &made
}

func TestAcquireReusesReleasedSandbox(t *testing.T) {
	p, made := newTestPool(t, 2, 2)
	ctx := context.Background()
	l1, err := p.Acquire(ctx, "hello")
	if err != nil {
		t.Fatal(err)
	}
	first := l1.Sandbox().ID()
	l1.Release(true)
	l2, err := p.Acquire(ctx, "hello")
	if err != nil {
		t.Fatal(err)
	}
	if l2.Sandbox().ID() != first {
		t.Errorf("got sandbox %s, want reused %s", l2.Sandbox().ID(), first)
	}
	if n := made.Load(); n != 1 {
		t.Errorf("factory called %d times, want 1", n)
	}
	l2.Release(true)
}

func TestAcquireWaitsForQuota(t *testing.T) {
	p, _ := newTestPool(t, 1, 1)
	held, err := p.Acquire(context.Background(), "f")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := p.Acquire(ctx, "f"); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("second Acquire = %v, want deadline exceeded", err)
	}
	held.Release(true)
	l, err := p.Acquire(context.Background(), "f")
	if err != nil {
		t.Fatal(err)
	}
	l.Release(true)
}

func TestSetQuotasTrimsIdle(t *testing.T) {
	p, _ := newTestPool(t, 4, 4)
	ctx := context.Background()
	var leases []*Lease
	for i := 0; i < 3; i++ {
		l, err := p.Acquire(ctx, "f")
		if err != nil {
			t.Fatalf("acquire %d: %v", i, err)
		}
		leases = append(leases, l)
	}
	for _, l := range leases {
		l.Release(true)
	}
	if n := p.SetQuotas(map[string]int{"f": 1}); n != 2 {
		t.Errorf("SetQuotas evicted %d, want 2", n)
	}
	if got := p.Stats().Idle["f"]; got != 1 {
		t.Errorf("idle = %d, want 1", got)
	}
}

func TestGoroutineSandboxRecoversPanic(t *testing.T) {
	g := NewGoroutineSandbox("g1", "boom", func(ctx context.Context, payload []byte) ([]byte, error) {
		if string(payload) == "panic" {
			panic("handler exploded")
		}
		return append([]byte("ok:"), payload...), nil
	})
	defer g.Kill()
	ctx := context.Background()
	if _, err := g.Invoke(ctx, []byte("panic")); !errors.Is(err, ErrHandlerPanic) {
		t.Fatalf("Invoke(panic) = %v, want ErrHandlerPanic", err)
	}
	out, err := g.Invoke(ctx, []byte("x"))
	if err != nil || string(out) != "ok:x" {
		t.Fatalf("Invoke(x) = %q, %v", out, err)
	}
	outs, err := g.InvokeBatch(ctx, [][]byte{[]byte("a"), []byte("panic"), []byte("b")})
	if !errors.Is(err, ErrHandlerPanic) {
		t.Errorf("InvokeBatch err = %v, want ErrHandlerPanic", err)
	}
	if string(outs[0]) != "ok:a" || string(outs[2]) != "ok:b" {
		t.Errorf("InvokeBatch outs = %q", outs)
	}
}

func TestSpecValidate(t *testing.T) {
	cases := []struct {
		spec Spec
		ok   bool
	}{
		{Spec{Function: "f", Command: []string{"sh"}}, true},
		{Spec{Function: "", Command: []string{"sh"}}, false},
		{Spec{Function: "a/b", Command: []string{"sh"}}, false},
		{Spec{Function: "f"}, false},
		{Spec{Function: "f", Command: []string{"sh"}, MemoryMB: -1}, false},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			if err := c.spec.Validate(); (err == nil) != c.ok {
				t.Errorf("Validate(%+v) = %v, want ok=%v", c.spec, err, c.ok)
			}
		})
	}
}
