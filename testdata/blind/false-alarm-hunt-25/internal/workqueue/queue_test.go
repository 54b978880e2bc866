package workqueue

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestQueueDeduplicates(t *testing.T) {
	q := New()
	defer q.ShutDown()
	q.Add("a")
	q.Add("a")
	q.Add("b")
	if n := q.Len(); n != 2 {
		t.Fatalf("Len = %d, want 2", n)
	}
}

func TestQueueRequeuesItemAddedWhileProcessing(t *testing.T) {
	q := New()
	t.Cleanup(q.ShutDown)
	q.Add("a")
	item, _ := q.Get()
	q.Add(item)
	if n := q.Len(); n != 0 {
		t.Fatalf("item in processing was queued twice (Len = %d)", n)
	}
	q.Done(item)
	if n := q.Len(); n != 1 {
		t.Fatalf("Len after Done = %d, want 1", n)
	}
}

func TestShutDownWithDrainWaitsForWorkers(t *testing.T) {
	q := New()
	for _, it := range []string{"a", "b", "c"} {
		q.Add(it)
	}
	var (
		wg        sync.WaitGroup
		processed atomic.Int32
	)
	for w := 0; w < 2; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				item, shutdown := q.Get()
				if shutdown {
					return
				}
				time.Sleep(time.Millisecond)
				processed.Add(1)
				q.Done(item)
			}
		}()
	}
	for q.Len() > 0 {
		time.Sleep(time.Millisecond)
	}
	q.ShutDownWithDrain()
	wg.Wait()
	if got := processed.Load(); got != 3 {
		t.Fatalf("processed %d items, want 3", got)
	}
}

func TestDelayingQueueAddAfter(t *testing.T) {
	q := NewDelayingQueue()
	defer q.ShutDown()
	q.AddAfter("late", 20*time.Millisecond)
	if q.Len() != 0 {
		t.Fatal("delayed item became visible at once")
	}
	deadline := time.Now().Add(time.Second)
	for q.Len() == 0 {
		if time.Now().After(deadline) {
			t.Fatal("delayed item never arrived")
		}
		time.Sleep(5 * time.Millisecond)
	}
}

func TestParallelizeUntilVisitsEveryPiece(t *testing.T) {
	var seen [50]atomic.Bool
	ParallelizeUntil(context.Background(), 4, len(seen), func(piece int) {
		seen[piece].Store(true)
	})
	for i := range seen {
		if !seen[i].Load() {
			t.Fatalf("piece %d not processed", i)
		}
	}
}
