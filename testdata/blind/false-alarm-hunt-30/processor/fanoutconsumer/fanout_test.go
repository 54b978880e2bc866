package fanoutconsumer

import (
	"context"
	"errors"
	"io"
	"log"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fah30/consumer"
	"example.com/fah30/pdata"
)

type counting struct {
	calls atomic.Int32
	err   error
	delay time.Duration
}

func (c *counting) ConsumeTraces(ctx context.Context, _ pdata.Batch) error {
	c.calls.Add(1)
	if c.delay > 0 {
		select {
		case <-time.After(c.delay):
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return c.err
}

func testBatch() pdata.Batch {
	return pdata.Batch{Spans: []pdata.Span{{TraceID: "a", SpanID: "1"}, {TraceID: "b", SpanID: "2"}}}
}

func TestConsumeTracesJoinsErrors(t *testing.T) {
	boom := errors.New("boom")
	a, b := &counting{}, &counting{err: boom}
	f := New(log.New(io.Discard, "", 0), a, b)
	if err := f.ConsumeTraces(context.Background(), testBatch()); !errors.Is(err, boom) {
		t.Fatalf("ConsumeTraces() = %v, want %v", err, boom)
	}
	if a.calls.Load() != 1 || b.calls.Load() != 1 {
		t.Fatalf("calls = %d, %d; want 1, 1", a.calls.Load(), b.calls.Load())
	}
}

func TestConsumeAnyReturnsOnFirstSuccess(t *testing.T) {
	fast := &counting{}
	slow := &counting{delay: time.Second}
	f := New(log.New(io.Discard, "", 0), slow, fast)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	if err := f.ConsumeAny(ctx, testBatch()); err != nil {
		t.Fatalf("ConsumeAny() = %v", err)
	}
	if d := time.Since(start); d > 500*time.Millisecond {
		t.Fatalf("ConsumeAny waited for the slow consumer (%s)", d)
	}
}

func TestDeliveredCountsAcceptingConsumers(t *testing.T) {
	cs := []consumer.Traces{&counting{}, &counting{err: errors.New("no")}, &counting{}}
	f := New(log.New(io.Discard, "", 0), cs...)
	if got := f.Delivered(context.Background(), testBatch()); got != 2 {
		t.Fatalf("Delivered() = %d, want 2", got)
	}
}
