package runner

import (
	"context"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"
)

func TestCallRecovers(t *testing.T) {
	err := Call(func() error { panic("boom") })
	var pe *PanicError
	if !errors.As(err, &pe) || pe.Value != "boom" {
		t.Fatalf("err = %v", err)
	}
}

func TestGroupReturnsFirstError(t *testing.T) {
	g, ctx := WithContext(context.Background())
	want := errors.New("first")
	g.Go(func() error { return want })
	g.Go(func() error {
		<-ctx.Done()
		return ctx.Err()
	})
	if err := g.Wait(); !errors.Is(err, want) {
		t.Fatalf("Wait = %v, want %v", err, want)
	}
}

func TestPoolRunsAndCloses(t *testing.T) {
	var ran atomic.Int32
	p := NewPool(context.Background(), 2, log.New(io.Discard, "", 0))
	t.Cleanup(p.Close)
	for i := 0; i < 4; i++ {
		err := p.Enqueue(context.Background(), Job{Run: func(context.Context) error {
			ran.Add(1)
			return nil
		}})
		if err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(2 * time.Second)
	for ran.Load() < 4 {
		if time.Now().After(deadline) {
			t.Fatalf("only %d jobs ran", ran.Load())
		}
		time.Sleep(5 * time.Millisecond)
	}
}
