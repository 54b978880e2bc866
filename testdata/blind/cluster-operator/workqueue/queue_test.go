package workqueue

import (
	"context"
	"sync/atomic"
	"testing"
	"time"
)

func TestQueueDeduplicates(t *testing.T) {
	q := New(NewItemExponentialLimiter(time.Millisecond, time.Second))
	t.Cleanup(q.ShutDown)
	q.Add("a")
	q.Add("a")
	q.Add("b")
	if n := q.Len(); n != 2 {
		t.Fatalf("Len = %d, want 2", n)
	}
}

func TestDoneRequeuesDirtyItem(t *testing.T) {
	q := New(NewItemExponentialLimiter(time.Millisecond, time.Second))
	t.Cleanup(q.ShutDown)
	q.Add("a")
	item, _ := q.Get()
	q.Add("a") // added while processing: must not be handed out twice
	if n := q.Len(); n != 0 {
		t.Fatalf("Len while processing = %d, want 0", n)
	}
	q.Done(item)
	if n := q.Len(); n != 1 {
		t.Fatalf("Len after Done = %d, want 1", n)
	}
}

func TestAddAfterDelivers(t *testing.T) {
	q := New(NewItemExponentialLimiter(time.Millisecond, time.Second))
	t.Cleanup(q.ShutDown)
	q.AddAfter("late", 20*time.Millisecond)
	got := make(chan string, 1)
	go func() {
		item, _ := q.Get()
		got <- item
	}()
	select {
	case item := <-got:
		if item != "late" {
			t.Fatalf("got %q", item)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("delayed item never arrived")
	}
}

func TestShutDownUnblocksGet(t *testing.T) {
	q := New(NewItemExponentialLimiter(time.Millisecond, time.Second))
	done := make(chan bool, 1)
	go func() {
		_, shutdown := q.Get()
		done <- shutdown
	}()
	time.Sleep(10 * time.Millisecond)
	q.ShutDown()
	if !<-done {
		t.Fatal("Get did not report shutdown")
	}
}

func TestExponentialLimiter(t *testing.T) {
	l := NewItemExponentialLimiter(10*time.Millisecond, 50*time.Millisecond)
	want := []time.Duration{10, 20, 40, 50, 50}
	for i, w := range want {
		if d := l.When("x"); d != w*time.Millisecond {
			t.Errorf("failure %d: delay %v, want %v", i, d, w*time.Millisecond)
		}
	}
	l.Forget("x")
	if n := l.NumRequeues("x"); n != 0 {
		t.Errorf("NumRequeues after Forget = %d", n)
	}
}

func TestParallelizeUntilRunsEveryPiece(t *testing.T) {
	var sum atomic.Int64
	ParallelizeUntil(context.Background(), 4, 100, func(p int) { sum.Add(int64(p)) })
	if got := sum.Load(); got != 4950 {
		t.Fatalf("sum = %d, want 4950", got)
	}
}
