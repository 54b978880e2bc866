package workqueue

import (
	"sync"
	"testing"
	"time"
)

func TestQueueDeduplicates(t *testing.T) {
	q := New()
	q.Add("a")
	q.Add("a")
	q.Add("b")
	if got := q.Len(); got != 2 {
		t.Fatalf("Len = %d, want 2", got)
	}
}

func TestQueueReaddWhileProcessing(t *testing.T) {
	q := New()
	q.Add("a")
	item, _ := q.Get()
	q.Add(item)
	if got := q.Len(); got != 0 {
		t.Fatalf("item re-queued while processing: Len = %d", got)
	}
	q.Done(item)
	if got := q.Len(); got != 1 {
		t.Fatalf("Len after Done = %d, want 1", got)
	}
}

func TestShutDownUnblocksGet(t *testing.T) {
	q := New()
	var wg sync.WaitGroup
	results := make(chan bool, 3)
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, shutdown := q.Get()
			results <- shutdown
		}()
	}
	q.ShutDown()
	wg.Wait()
	close(results)
	for shutdown := range results {
		if !shutdown {
			t.Fatal("Get returned an item from an empty queue")
		}
	}
}

func TestAddAfterDelivers(t *testing.T) {
	q := NewDelayingQueue()
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
		t.Fatal("delayed item never delivered")
	}
}

func TestBucketRateLimiterBurst(t *testing.T) {
	now := time.Unix(0, 0)
	b := NewBucketRateLimiter(1, 2)
	b.now = func() time.Time { return now }
	for i := 0; i < 2; i++ {
		if d := b.When("x"); d != 0 {
			t.Fatalf("call %d delayed by %v within burst", i, d)
		}
	}
	if d := b.When("x"); d != time.Second {
		t.Fatalf("third call delayed by %v, want 1s", d)
	}
}

func BenchmarkQueueAddGet(b *testing.B) {
	q := New()
	for i := 0; i < b.N; i++ {
		q.Add("key")
		item, _ := q.Get()
		q.Done(item)
	}
}
