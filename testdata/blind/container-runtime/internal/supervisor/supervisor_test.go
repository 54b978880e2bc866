package supervisor

import (
	"context"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"
)

type fakeProc struct {
	pid int
	err error
}

func (f fakeProc) Wait() error { return f.err }
func (f fakeProc) Pid() int    { return f.pid }

func TestGivesUpAfterBudget(t *testing.T) {
	s := New(Policy{MaxRestarts: 2, Window: time.Minute, MinBackoff: time.Millisecond, MaxBackoff: 2 * time.Millisecond},
		log.New(io.Discard, "", 0))
	var starts atomic.Int32
	err := s.Add("crashy", func(context.Context) (Waiter, error) {
		n := starts.Add(1)
		return fakeProc{pid: 1000 + int(n), err: errors.New("exit status 1")}, nil
	})
	if err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()

	gaveUp := false
	for !gaveUp {
		select {
		case ev := <-s.Events():
			gaveUp = ev.Kind == "gave-up"
		case <-ctx.Done():
			t.Fatal("supervisor never gave up")
		}
	}
	cancel()
	<-done
	if n := starts.Load(); n != 3 {
		t.Fatalf("started %d times, want 3", n)
	}
}

func TestRunOnceRecoversPanickingStart(t *testing.T) {
	s := New(Policy{}, log.New(io.Discard, "", 0))
	svc := &service{name: "bad", start: func(context.Context) (Waiter, error) {
		panic("nil spec")
	}}
	err := s.runOnce(context.Background(), svc)
	if err == nil {
		t.Fatal("panic not turned into an error")
	}
}

func TestRunHooksCollectsErrors(t *testing.T) {
	s := New(Policy{}, log.New(io.Discard, "", 0))
	err := s.RunHooks(map[string]func() error{
		"ok":   func() error { return nil },
		"fail": func() error { return errors.New("exit 2") },
	})
	if err == nil {
		t.Fatal("hook error lost")
	}
}
