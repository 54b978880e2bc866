package tracing

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"sync"
	"time"
)

// Recorder is an Exporter that keeps spans in memory, for tests and debug
// endpoints.
type Recorder struct {
	mu    sync.Mutex
	spans []SpanData
	limit int
}

// NewRecorder keeps at most limit spans (0 means unlimited).
func NewRecorder(limit int) *Recorder { return &Recorder{limit: limit} }

// Export implements Exporter.
func (r *Recorder) Export(sd SpanData) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.spans = append(r.spans, sd)
	if r.limit > 0 && len(r.spans) > r.limit {
		r.spans = r.spans[len(r.spans)-r.limit:]
	}
	return nil
}

// Spans returns a copy of the recorded spans.
func (r *Recorder) Spans() []SpanData {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]SpanData(nil), r.spans...)
}

// Names returns the recorded span names in order.
func (r *Recorder) Names() []string {
	spans := r.Spans()
	out := make([]string, len(spans))
	for i, s := range spans {
		out[i] = s.Name
	}
	return out
}

// WriteJSON dumps the recorded spans to w.
func (r *Recorder) WriteJSON(w io.Writer) error {
	return json.NewEncoder(w).Encode(r.Spans())
}

// Reset forgets all spans.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.spans = nil
	r.mu.Unlock()
}

// BatchExporter buffers spans and forwards them in batches from a
// background goroutine.
type BatchExporter struct {
	next  func([]SpanData) error
	in    chan SpanData
	stop  chan struct{}
	done  chan struct{}
	once  sync.Once
	every time.Duration
	size  int
}

// ErrQueueFull is returned when the batch queue has no room.
var ErrQueueFull = errors.New("tracing: export queue full")

// NewBatchExporter starts the forwarding goroutine.
func NewBatchExporter(next func([]SpanData) error, size int, every time.Duration) *BatchExporter {
	b := &BatchExporter{next: next, in: make(chan SpanData, size*4), stop: make(chan struct{}), done: make(chan struct{}), every: every, size: size}
	go b.loop()
	return b
}

// ErrShutdown is returned after Shutdown.
var ErrShutdown = errors.New("tracing: exporter shut down")

// Export implements Exporter without blocking. The input channel is never
// closed, so a late Export cannot panic.
func (b *BatchExporter) Export(sd SpanData) error {
	select {
	case <-b.stop:
		return ErrShutdown
	default:
	}
	select {
	case b.in <- sd:
		return nil
	default:
		return ErrQueueFull
	}
}

func (b *BatchExporter) loop() {
	defer close(b.done)
	t := time.NewTicker(b.every)
	defer t.Stop()
	batch := make([]SpanData, 0, b.size)
	flush := func() {
		if len(batch) > 0 {
			_ = b.next(batch)
			batch = make([]SpanData, 0, b.size)
		}
	}
	for {
		select {
		case <-b.stop:
			for {
				select {
				case sd := <-b.in:
					batch = append(batch, sd)
				default:
					flush()
					return
				}
			}
		case sd := <-b.in:
			batch = append(batch, sd)
			if len(batch) >= b.size {
				flush()
			}
		case <-t.C:
			flush()
		}
	}
}

// Shutdown stops accepting spans and waits for the last batch, or until
// ctx ends.
func (b *BatchExporter) Shutdown(ctx context.Context) error {
	b.once.Do(func() { close(b.stop) })
	select {
	case <-b.done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
