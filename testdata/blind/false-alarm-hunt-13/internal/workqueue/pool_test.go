package workqueue

import (
	"context"
	"errors"
	"sort"
	"testing"
	"time"
)

func TestProcessReturnsEveryResult(t *testing.T) {
	jobs := make([]Job, 20)
	for i := range jobs {
		jobs[i] = Job{ID: i}
	}
	res := Process(context.Background(), jobs, 4, func(_ context.Context, j Job) ([]byte, error) {
		return []byte{byte(j.ID)}, nil
	})
	if len(res) != len(jobs) {
		t.Fatalf("got %d results, want %d", len(res), len(jobs))
	}
}

func TestMapStopsOnFirstError(t *testing.T) {
	boom := errors.New("boom")
	_, err := Map(context.Background(), []int{1, 2, 3, 4}, 2, func(_ context.Context, v int) (int, error) {
		if v == 3 {
			return 0, boom
		}
		return v * v, nil
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Map error = %v, want boom", err)
	}
}

func TestMergeClosesOutput(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	a, b := make(chan int, 1), make(chan int, 1)
	go func() {
		defer close(a)
		a <- 1
	}()
	go func() {
		defer close(b)
		b <- 2
	}()
	got, err := Collect(ctx, Merge(ctx, a, b))
	if err != nil {
		t.Fatal(err)
	}
	sort.Ints(got)
	if len(got) != 2 || got[0] != 1 || got[1] != 2 {
		t.Fatalf("got %v", got)
	}
}

func TestPublishClosesAcksAfterSenders(t *testing.T) {
	b := NewBroadcaster(func(_ context.Context, peer string) Ack { return Ack{Peer: peer} })
	acks := make(chan Ack)
	errc := make(chan error, 1)
	go func() { errc <- b.Publish(context.Background(), []string{"a", "b", "c"}, acks) }()

	n := 0
	for range acks {
		n++
	}
	if err := <-errc; err != nil || n != 3 {
		t.Fatalf("Publish = %v with %d acks", err, n)
	}
}
