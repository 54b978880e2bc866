package pool

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"
)

func TestPoolRunsTasks(t *testing.T) {
	var failures atomic.Int32
	p := New(4, func(error) { failures.Add(1) })
	t.Cleanup(p.Close)

	var ran atomic.Int32
	done := make(chan struct{}, 10)
	ctx := context.Background()
	for i := range 10 {
		err := p.Submit(ctx, func(context.Context) error {
			defer func() { done <- struct{}{} }()
			ran.Add(1)
			if i == 3 {
				panic("task 3 exploded")
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	for range 10 {
		<-done
	}
	if ran.Load() != 10 || failures.Load() != 1 {
		t.Fatalf("ran %d, failures %d", ran.Load(), failures.Load())
	}
}

func TestFanoutTimeout(t *testing.T) {
	slow := Probe{Name: "slow", Check: func(ctx context.Context) error {
		time.Sleep(50 * time.Millisecond)
		return nil
	}}
	fast := Probe{Name: "fast", Check: func(context.Context) error { return nil }}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer cancel()

	res, err := NewFanout([]Probe{slow, fast}).Run(ctx)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v", err)
	}
	if len(res) != 1 || res[0].Name != "fast" {
		t.Fatalf("results = %+v", res)
	}
}

func TestStreamAll(t *testing.T) {
	feeds := []Feed{{Name: "a", Lines: []string{"1", "2"}}, {Name: "b", Lines: []string{"3"}}}
	n := 0
	for range Stream(context.Background(), feeds) {
		n++
	}
	if n != 3 {
		t.Fatalf("got %d records", n)
	}
}

func TestGroupWait(t *testing.T) {
	var g Group
	boom := errors.New("boom")
	for i := range 5 {
		g.Go(func() error {
			if i%2 == 1 {
				return boom
			}
			return nil
		})
	}
	if err := g.Wait(); !errors.Is(err, boom) {
		t.Fatalf("Wait() = %v", err)
	}
}
