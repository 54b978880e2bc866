package supervisor

import (
	"context"
	"errors"
	"io"
	"log"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"example.com/mqworker/internal/retry"
)

func TestRunOnceTurnsPanicIntoError(t *testing.T) {
	var crashed atomic.Bool
	s := New(log.New(io.Discard, "", 0), func(string, any) { crashed.Store(true) })
	err := s.runOnce(context.Background(), Child{Name: "boom", Run: func(context.Context) error {
		panic("nil map write")
	}})
	if err == nil || !strings.Contains(err.Error(), "nil map write") {
		t.Fatalf("err = %v", err)
	}
	if !crashed.Load() {
		t.Fatal("onCrash not called")
	}
}

func TestSuperviseGivesUp(t *testing.T) {
	s := New(log.New(io.Discard, "", 0), nil)
	var runs atomic.Int32
	err := s.Add(Child{
		Name:        "flaky",
		MaxRestarts: 2,
		Backoff:     retry.Policy{Base: time.Millisecond, Max: time.Millisecond},
		Run: func(context.Context) error {
			runs.Add(1)
			return errors.New("relay refused")
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	s.Start(ctx)
	s.Wait()
	if got := runs.Load(); got != 3 {
		t.Fatalf("runs = %d, want 3", got)
	}
	if st := s.Status()["flaky"]; st.Running || st.LastErr != "relay refused" {
		t.Fatalf("status = %+v", st)
	}
}
