package exporterhelper

import (
	"context"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fah30/internal/obsreport"
)

type fakeRequest struct {
	items int
	calls atomic.Int32
	fail  func(call int32) error
}

func (r *fakeRequest) ItemsCount() int { return r.items }

func (r *fakeRequest) Export(context.Context) error {
	n := r.calls.Add(1)
	if r.fail != nil {
		return r.fail(n)
	}
	return nil
}

func TestOfferDropsWhenFull(t *testing.T) {
	q := NewBoundedQueue(2)
	t.Cleanup(q.Close)
	for i := 0; i < 2; i++ {
		if err := q.Offer(&fakeRequest{items: 1}); err != nil {
			t.Fatalf("offer %d: %v", i, err)
		}
	}
	if err := q.Offer(&fakeRequest{items: 5}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("offer on full queue = %v, want ErrQueueFull", err)
	}
	if got := q.Dropped(); got != 5 {
		t.Fatalf("Dropped() = %d, want 5", got)
	}
}

func TestRetryStopsOnPermanent(t *testing.T) {
	rs := RetrySettings{Enabled: true, InitialInterval: time.Millisecond, MaxInterval: time.Millisecond, Multiplier: 2}
	req := &fakeRequest{fail: func(n int32) error {
		if n < 3 {
			return errors.New("unavailable")
		}
		return NewPermanent(errors.New("bad request"))
	}}
	err := rs.Do(context.Background(), req.Export)
	if !IsPermanent(err) {
		t.Fatalf("Do() = %v, want permanent error", err)
	}
	if got := req.calls.Load(); got != 3 {
		t.Fatalf("calls = %d, want 3", got)
	}
}

func TestRetryRespectsDeadline(t *testing.T) {
	rs := RetrySettings{Enabled: true, InitialInterval: time.Second, MaxInterval: time.Second, Multiplier: 1}
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := rs.Do(ctx, (&fakeRequest{fail: func(int32) error { return errors.New("down") }}).Export)
	if err == nil {
		t.Fatal("Do() succeeded against a failing request")
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("Do() ignored the deadline, took %s", d)
	}
}

func TestSenderDrainsOnShutdown(t *testing.T) {
	logger := log.New(io.Discard, "", 0)
	s := NewQueueSender(QueueConfig{Enabled: true, QueueSize: 10, NumConsumers: 2, MaxInFlight: 2, Timeout: time.Second},
		RetrySettings{}, obsreport.NewRecorder("test", logger), logger)
	if err := s.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	reqs := make([]*fakeRequest, 5)
	for i := range reqs {
		reqs[i] = &fakeRequest{items: 1}
		if err := s.Send(context.Background(), reqs[i]); err != nil {
			t.Fatalf("send %d: %v", i, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	for i, r := range reqs {
		if r.calls.Load() != 1 {
			t.Errorf("request %d exported %d times", i, r.calls.Load())
		}
	}
}
