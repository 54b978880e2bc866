package pool

import (
	"context"
	"errors"
	"runtime"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestRunWorkersKeepsOrder(t *testing.T) {
	boom := errors.New("boom")
	tasks := []Task{
		func(context.Context) error { return nil },
		func(context.Context) error { return boom },
		func(context.Context) error { return nil },
	}
	errs := RunWorkers(context.Background(), 2, tasks)
	if errs[0] != nil || !errors.Is(errs[1], boom) || errs[2] != nil {
		t.Fatalf("errs = %v", errs)
	}
}

func TestPoolRecoversPanics(t *testing.T) {
	var calls atomic.Int32
	p := New(context.Background(), 2, 4, func(error) { calls.Add(1) }, nil)
	t.Cleanup(p.Close)
	done := make(chan struct{})
	if err := p.Submit(context.Background(), func(context.Context) error { panic("bad task") }); err != nil {
		t.Fatal(err)
	}
	if err := p.Submit(context.Background(), func(context.Context) error {
		close(done)
		return errors.New("after panic")
	}); err != nil {
		t.Fatal(err)
	}
	select {
	case <-done:
	case <-time.After(2 * time.Second):
		t.Fatal("pool stopped running tasks after a panic")
	}
}

func TestPoolConcurrentSubmit(t *testing.T) {
	var ran [8]atomic.Bool
	p := New(context.Background(), 4, len(ran), nil, nil)
	t.Cleanup(p.Close)
	var wg sync.WaitGroup
	for i := 0; i < len(ran); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			err := p.Submit(context.Background(), func(context.Context) error {
				ran[i].Store(true)
				return nil
			})
			if err != nil {
				t.Error(err)
			}
		}()
		if i%2 == 1 {
			runtime.Gosched()
		}
	}
	wg.Wait()
	deadline := time.Now().Add(2 * time.Second)
	for i := range ran {
		for !ran[i].Load() {
			if time.Now().After(deadline) {
				t.Fatalf("task %d never ran", i)
			}
			time.Sleep(time.Millisecond)
		}
	}
}
