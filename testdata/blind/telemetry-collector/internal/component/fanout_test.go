package component

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"example.com/otelcol/internal/pdata"
)

type countingConsumer struct {
	n   atomic.Int64
	err error
}

func (c *countingConsumer) Consume(_ context.Context, b pdata.Batch) error {
	c.n.Add(int64(b.Len()))
	return c.err
}

type panickingConsumer struct{}

func (panickingConsumer) Consume(context.Context, pdata.Batch) error { panic("boom") }

func testBatch(n int) pdata.Batch {
	var b pdata.Batch
	for i := 0; i < n; i++ {
		b.Append(pdata.Record{Name: "m", Attrs: map[string]string{"i": "x"}})
	}
	return b
}

func TestFanOutDeliversToAll(t *testing.T) {
	f := NewFanOut(true)
	a, b := &countingConsumer{}, &countingConsumer{}
	f.Add("a", a)
	f.Add("b", b)
	if err := f.Consume(context.Background(), testBatch(3)); err != nil {
		t.Fatal(err)
	}
	if a.n.Load() != 3 || b.n.Load() != 3 {
		t.Fatalf("got %d and %d records, want 3 each", a.n.Load(), b.n.Load())
	}
}

func TestFanOutJoinsErrors(t *testing.T) {
	f := NewFanOut(false)
	bad := errors.New("export failed")
	f.Add("ok", &countingConsumer{})
	f.Add("bad", &countingConsumer{err: bad})
	if err := f.Consume(context.Background(), testBatch(1)); !errors.Is(err, bad) {
		t.Fatalf("err = %v, want %v", err, bad)
	}
}

func TestOrderedRecoversPanic(t *testing.T) {
	f := NewFanOut(false)
	f.Add("panics", panickingConsumer{})
	if err := f.Ordered(context.Background(), testBatch(1)); err == nil {
		t.Fatal("want error from panicking consumer")
	}
}
