package queue

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"example.com/webhooks/internal/delivery"
)

func openTemp(t *testing.T) (*Queue, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "queue.log")
	q, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	return q, path
}

func TestEnqueueAckSurvivesReopen(t *testing.T) {
	q, path := openTemp(t)
	s1, err := q.Enqueue(delivery.Delivery{ID: "a"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Enqueue(delivery.Delivery{ID: "b"}); err != nil {
		t.Fatal(err)
	}
	if err := q.Ack(s1); err != nil {
		t.Fatal(err)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}

	q2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q2.Close() })
	items := q2.Snapshot()
	if len(items) != 1 || items[0].Delivery.ID != "b" {
		t.Fatalf("pending after reopen = %+v, want only b", items)
	}
}

func TestNextWaitsForEnqueue(t *testing.T) {
	q, _ := openTemp(t)
	t.Cleanup(func() { q.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	got := make(chan Item, 1)
	go func() {
		it, err := q.Next(ctx)
		if err == nil {
			got <- it
		}
		close(got)
	}()
	time.Sleep(10 * time.Millisecond)
	if _, err := q.Enqueue(delivery.Delivery{ID: "late"}); err != nil {
		t.Fatal(err)
	}
	it, ok := <-got
	if !ok || it.Delivery.ID != "late" {
		t.Fatalf("Next = %+v, %v", it, ok)
	}
}

func TestCompactKeepsPending(t *testing.T) {
	q, path := openTemp(t)
	for i := 0; i < 10; i++ {
		seq, err := q.Enqueue(delivery.Delivery{ID: string(rune('a' + i))})
		if err != nil {
			t.Fatal(err)
		}
		if i%2 == 0 {
			if err := q.Ack(seq); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := q.Compact(); err != nil {
		t.Fatal(err)
	}
	if err := q.Close(); err != nil {
		t.Fatal(err)
	}
	q2, err := Open(path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { q2.Close() })
	if n := q2.Len(); n != 5 {
		t.Fatalf("pending after compact = %d, want 5", n)
	}
}
