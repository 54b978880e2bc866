package pool

import (
	"bytes"
	"context"
	"errors"
	"io"
	"sync/atomic"
	"testing"
)

type fakeConn struct {
	closed *atomic.Int32
}

func (c fakeConn) Close() error {
	c.closed.Add(1)
	return nil
}

func newFactory(closed *atomic.Int32, opened *atomic.Int32) Factory {
	return func(context.Context) (io.Closer, error) {
		opened.Add(1)
		return fakeConn{closed: closed}, nil
	}
}

func TestPoolReuses(t *testing.T) {
	p := New(2, func() *bytes.Buffer { return new(bytes.Buffer) },
		WithReset(func(b *bytes.Buffer) { b.Reset() }))
	for range 3 {
		if err := p.With(func(b *bytes.Buffer) error {
			b.WriteString("x")
			return nil
		}); err != nil {
			t.Fatal(err)
		}
	}
	created, reused := p.Counters()
	if created != 1 || reused != 2 {
		t.Fatalf("created=%d reused=%d", created, reused)
	}
}

func TestResourcePoolDestroysBad(t *testing.T) {
	var closed, opened atomic.Int32
	p := NewResourcePool(newFactory(&closed, &opened), Config{MaxOpen: 2})
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	boom := errors.New("boom")
	err := p.With(context.Background(), func(io.Closer) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if closed.Load() != 1 {
		t.Fatalf("closed = %d", closed.Load())
	}
	if p.InUse() != 0 {
		t.Fatalf("in use = %d", p.InUse())
	}
}

func TestPrefill(t *testing.T) {
	var closed, opened atomic.Int32
	p := NewResourcePool(newFactory(&closed, &opened), Config{MaxOpen: 3})
	if err := p.Prefill(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if p.IdleCount() != 3 {
		t.Fatalf("idle = %d", p.IdleCount())
	}
}

func TestConcat(t *testing.T) {
	if got := Concat("-", "a", "b", "c"); got != "a-b-c" {
		t.Fatalf("got %q", got)
	}
}
