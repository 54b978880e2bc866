package batchprocessor

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"sync"
	"testing"
	"time"

	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

type sink struct {
	mu      sync.Mutex
	batches []pdata.Batch
}

func (s *sink) ConsumeTraces(_ context.Context, b pdata.Batch) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.batches = append(s.batches, b)
	return nil
}

func (s *sink) spans() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, b := range s.batches {
		n += b.Len()
	}
	return n
}

func spansOf(n int) pdata.Batch {
	b := pdata.Batch{Resource: map[string]string{"service.name": "test"}}
	for i := range n {
		b.Spans = append(b.Spans, pdata.Span{TraceID: fmt.Sprintf("t%d", i%3), SpanID: fmt.Sprintf("s%d", i), Name: "op"})
	}
	return b
}

func newStarted(t *testing.T, cfg Config, next *sink) *Processor {
	t.Helper()
	logger := log.New(io.Discard, "", 0)
	p, err := New(cfg, next, obsreport.NewRecorder("batch", logger), logger)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := p.Start(context.Background(), nil); err != nil {
		t.Fatalf("Start: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		if err := p.Shutdown(ctx); err != nil {
			t.Errorf("Shutdown: %v", err)
		}
	})
	return p
}

func TestFlushOnSize(t *testing.T) {
	next := &sink{}
	p := newStarted(t, Config{Timeout: time.Hour, SendBatchSize: 10}, next)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := p.ConsumeTraces(ctx, spansOf(12)); err != nil {
		t.Fatalf("ConsumeTraces: %v", err)
	}
	for next.spans() < 12 {
		select {
		case <-ctx.Done():
			t.Fatalf("batch not flushed on size: got %d spans", next.spans())
		case <-time.After(5 * time.Millisecond):
		}
	}
}

func TestFlushOnShutdown(t *testing.T) {
	next := &sink{}
	logger := log.New(io.Discard, "", 0)
	p, err := New(Config{Timeout: time.Hour, SendBatchSize: 100}, next, obsreport.NewRecorder("batch", logger), logger)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Start(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	if err := p.ConsumeTraces(context.Background(), spansOf(3)); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := p.Shutdown(ctx); err != nil {
		t.Fatalf("Shutdown: %v", err)
	}
	if got := next.spans(); got != 3 {
		t.Fatalf("after shutdown got %d spans, want 3", got)
	}
	if err := p.ConsumeTraces(ctx, spansOf(1)); !errors.Is(err, ErrStopped) {
		t.Fatalf("ConsumeTraces after Shutdown = %v, want ErrStopped", err)
	}
}

func TestConcurrentProducers(t *testing.T) {
	next := &sink{}
	p := newStarted(t, Config{Timeout: 10 * time.Millisecond, SendBatchSize: 50}, next)
	const producers = 8
	errc := make(chan error, producers)
	var wg sync.WaitGroup
	for i := 0; i < producers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errc <- p.ConsumeTraces(context.Background(), spansOf(10+i))
		}()
	}
	wg.Wait()
	close(errc)
	for err := range errc {
		if err != nil {
			t.Errorf("producer: %v", err)
		}
	}
}

func TestConfigValidate(t *testing.T) {
	for _, tc := range []struct {
		name    string
		cfg     Config
		wantErr bool
	}{
		{"ok", Config{Timeout: time.Second, SendBatchSize: 10}, false},
		{"no timeout", Config{SendBatchSize: 10}, true},
		{"max below size", Config{Timeout: time.Second, SendBatchSize: 10, SendBatchMaxSize: 5}, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if err := tc.cfg.Validate(); (err != nil) != tc.wantErr {
				t.Fatalf("Validate() = %v, wantErr %v", err, tc.wantErr)
			}
		})
	}
}
