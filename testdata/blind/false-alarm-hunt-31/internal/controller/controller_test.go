package controller

import (
	"bytes"
	"context"
	"errors"
	"log"
	"strings"
	"testing"
	"time"

	"example.com/fah31/api"
	"example.com/fah31/internal/cache"
)

type staticLW struct{ objs []*api.Object }

func (s staticLW) List(context.Context) ([]*api.Object, error) { return s.objs, nil }

func (s staticLW) Watch(ctx context.Context) (<-chan cache.Event, error) {
	ch := make(chan cache.Event)
	go func() {
		defer close(ch)
		<-ctx.Done()
	}()
	return ch, nil
}

type reconcileFunc func(ctx context.Context, key string) (Result, error)

func (f reconcileFunc) Reconcile(ctx context.Context, key string) (Result, error) { return f(ctx, key) }

func newTestController(t *testing.T, r Reconciler) (*Controller, *bytes.Buffer) {
	t.Helper()
	var buf bytes.Buffer
	inf := cache.NewInformer(staticLW{}, cache.NewStore(nil), time.Minute)
	c := New(inf, r, Options{Name: "test", Logger: log.New(&buf, "", 0)})
	return c, &buf
}

func TestSafeReconcileConvertsPanic(t *testing.T) {
	c, _ := newTestController(t, reconcileFunc(func(context.Context, string) (Result, error) {
		panic("boom")
	}))
	_, err := c.safeReconcile(context.Background(), "ns/a")
	if !errors.Is(err, ErrPanic) {
		t.Fatalf("err = %v, want ErrPanic", err)
	}
	if c.Crashes() != 1 {
		t.Fatalf("Crashes() = %d, want 1", c.Crashes())
	}
}

func TestTraceLogsBeginAndEnd(t *testing.T) {
	c, buf := newTestController(t, reconcileFunc(func(context.Context, string) (Result, error) {
		return Result{}, nil
	}))
	func() {
		defer c.trace("unit")()
	}()
	out := buf.String()
	if !strings.Contains(out, "begin unit") || !strings.Contains(out, "end unit") {
		t.Fatalf("trace output %q lacks begin/end", out)
	}
}

func TestRunStopsWithContext(t *testing.T) {
	c, _ := newTestController(t, reconcileFunc(func(context.Context, string) (Result, error) {
		return Result{}, nil
	}))
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- c.Run(ctx) }()
	select {
	case err := <-done:
		if err != nil {
			t.Fatalf("Run: %v", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not return after cancellation")
	}
}
