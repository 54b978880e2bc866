package scheduler

import (
	"context"
	"errors"
	"io"
	"log"
	"sync"
	"testing"
	"time"
)

type fakeDispatcher struct {
	mu    sync.Mutex
	calls []string
	fail  error
}

func (f *fakeDispatcher) Dispatch(ctx context.Context, c *Campaign) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.calls = append(f.calls, c.ID)
	return f.fail
}

func (f *fakeDispatcher) DispatchTest(ctx context.Context, c *Campaign, to string) error {
	return f.Dispatch(ctx, c)
}

type fixedCounter int

func (n fixedCounter) ActiveCount(string) int { return int(n) }

type nopNotifier struct{}

func (nopNotifier) Notify(string, string) {}

func newTestScheduler(d Dispatcher) *Scheduler {
	return New(d, fixedCounter(10), nopNotifier{}, log.New(io.Discard, "", 0), 10*time.Millisecond)
}

func TestScheduleRejectsDuplicates(t *testing.T) {
	s := newTestScheduler(&fakeDispatcher{})
	c := &Campaign{ID: "c1", ListID: "weekly", Template: "t", Subject: "Hello", SendAt: time.Now()}
	if err := s.Schedule(c); err != nil {
		t.Fatal(err)
	}
	if err := s.Schedule(c); err == nil {
		t.Fatal("second Schedule succeeded")
	}
}

func TestRunDispatchesDueCampaigns(t *testing.T) {
	d := &fakeDispatcher{}
	s := newTestScheduler(d)
	if err := s.Schedule(&Campaign{ID: "c1", ListID: "l", Template: "t", Subject: "s", SendAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	if err := s.Run(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Run = %v", err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.calls) != 1 || d.calls[0] != "c1" {
		t.Fatalf("calls = %v", d.calls)
	}
}
