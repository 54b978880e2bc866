package batch

import (
	"context"
	"io"
	"log"
	"sync"
	"testing"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/obs"
	"example.com/otelcol/internal/pdata"
)

type sink struct {
	mu      sync.Mutex
	batches []pdata.Batch
	got     chan int
}

func newSink() *sink { return &sink{got: make(chan int, 64)} }

func (s *sink) Consume(_ context.Context, b pdata.Batch) error {
	s.mu.Lock()
	s.batches = append(s.batches, b)
	s.mu.Unlock()
	select {
	case s.got <- b.Len():
	default: // nobody is waiting for this one
	}
	return nil
}

func records(n int) pdata.Batch {
	var b pdata.Batch
	for i := 0; i < n; i++ {
		b.Append(pdata.Record{Name: "m", Value: float64(i)})
	}
	return b
}

func newTestProcessor(t *testing.T, cfg Config, next component.Consumer) *Processor {
	t.Helper()
	p := New(cfg, next, obs.NewRegistry(), io.Discard, log.New(io.Discard, "", 0))
	if err := p.Start(context.Background(), component.NewFatalHost()); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		_ = p.Shutdown(ctx)
	})
	return p
}

func TestFlushOnSize(t *testing.T) {
	s := newSink()
	p := newTestProcessor(t, Config{SendBatchSize: 10, Timeout: time.Hour}, s)
	if err := p.Consume(context.Background(), records(10)); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-s.got:
		if n != 10 {
			t.Fatalf("flushed %d records, want 10", n)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no flush on size")
	}
}

func TestFlushOnTimeout(t *testing.T) {
	s := newSink()
	p := newTestProcessor(t, Config{SendBatchSize: 1000, Timeout: 20 * time.Millisecond}, s)
	if err := p.Consume(context.Background(), records(3)); err != nil {
		t.Fatal(err)
	}
	select {
	case n := <-s.got:
		if n != 3 {
			t.Fatalf("flushed %d records, want 3", n)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("no flush on timeout")
	}
}

func TestConsumeConcurrent(t *testing.T) {
	s := newSink()
	p := newTestProcessor(t, Config{SendBatchSize: 5, Timeout: time.Hour, MaxQueued: 1 << 20}, s)
	var wg sync.WaitGroup
	for w := 0; w < 8; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				if err := p.Consume(context.Background(), records(1)); err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	if err := p.FlushNow(context.Background()); err != nil {
		t.Fatal(err)
	}
}
