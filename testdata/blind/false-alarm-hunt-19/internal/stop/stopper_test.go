package stop

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func TestStopRunsClosersInReverse(t *testing.T) {
	s := NewStopper()
	var order []string
	for _, name := range []string{"a", "b", "c"} {
		s.AddCloser(CloserFunc(func() error {
			order = append(order, name)
			return nil
		}))
	}
	release := make(chan struct{})
	if err := s.RunAsyncTask(context.Background(), "worker", func(context.Context) { <-release }); err != nil {
		t.Fatal(err)
	}
	close(release)

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := s.Stop(ctx); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if got := strings.Join(order, ""); got != "cba" {
		t.Fatalf("closers ran in order %q, want %q", got, "cba")
	}
	if err := s.RunAsyncTask(ctx, "late", func(context.Context) {}); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("RunAsyncTask after Stop = %v, want ErrUnavailable", err)
	}
}

func TestPanicHandlerReceivesTaskPanic(t *testing.T) {
	got := make(chan string, 1)
	s := NewStopper(WithPanicHandler(func(task string, v any) {
		got <- fmt.Sprintf("%s:%v", task, v)
	}))
	if err := s.RunAsyncTask(context.Background(), "boom", func(context.Context) { panic("bad input") }); err != nil {
		t.Fatal(err)
	}
	select {
	case g := <-got:
		if g != "boom:bad input" {
			t.Fatalf("handler got %q", g)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("panic handler was not called")
	}
}
