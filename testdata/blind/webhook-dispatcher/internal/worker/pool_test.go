package worker

import (
	"context"
	"io"
	"log"
	"sync"
	"testing"
	"time"

	"example.com/webhooks/internal/delivery"
)

type fakeSender struct {
	status int
}

func (f fakeSender) Deliver(_ context.Context, d delivery.Delivery) delivery.Result {
	return delivery.Result{DeliveryID: d.ID, Status: f.status, Attempts: 1}
}

type recordingSettler struct {
	mu       sync.Mutex
	acked    []uint64
	released []uint64
}

func (r *recordingSettler) Ack(seq uint64) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.acked = append(r.acked, seq)
	return nil
}

func (r *recordingSettler) Release(seq uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.released = append(r.released, seq)
}

func TestPoolAcksDeliveredJobs(t *testing.T) {
	settler := &recordingSettler{}
	p := NewPool("acme", 2, fakeSender{status: 204}, settler, nil, nil, time.Second, log.New(io.Discard, "", 0))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	p.Start(ctx)
	for seq := uint64(1); seq <= 5; seq++ {
		if err := p.Submit(ctx, Job{Seq: seq, Delivery: delivery.Delivery{ID: "d"}}); err != nil {
			t.Fatal(err)
		}
	}
	p.Stop()
	if len(settler.acked) != 5 {
		t.Fatalf("acked %d jobs, want 5", len(settler.acked))
	}
	if err := p.Submit(ctx, Job{Seq: 6}); err != ErrStopped {
		t.Fatalf("Submit after Stop = %v, want ErrStopped", err)
	}
}

func TestRedeliverReportsFailure(t *testing.T) {
	hooks := NewHooks(log.New(io.Discard, "", 0))
	called := make(chan struct{})
	hooks.OnAfter(func(Job, delivery.Result) { close(called) })
	p := NewPool("acme", 1, fakeSender{status: 500}, &recordingSettler{}, nil, hooks, time.Second, log.New(io.Discard, "", 0))
	if err := p.Redeliver(context.Background(), Job{Seq: 1, Delivery: delivery.Delivery{ID: "d"}}); err == nil {
		t.Fatal("Redeliver of a 500 returned nil")
	}
	select {
	case <-called:
	case <-time.After(time.Second):
		t.Fatal("after-hook did not run")
	}
}

func TestTransformAppliesInOrder(t *testing.T) {
	hooks := NewHooks(log.New(io.Discard, "", 0))
	hooks.OnTransform(func(b []byte) []byte { return append(b, '!') })
	out := hooks.Transform([]byte("hi"))
	if string(out) != "hi!" {
		t.Fatalf("Transform = %q", out)
	}
}
