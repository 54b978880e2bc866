package pool

import (
	"bytes"
	"errors"
	"testing"
)

func newBufferPool(t *testing.T, max int) *Pool[*bytes.Buffer] {
	t.Helper()
	p := New(max, func() (*bytes.Buffer, error) { return new(bytes.Buffer), nil }, func(b *bytes.Buffer) { b.Reset() })
	t.Cleanup(func() {
		if err := p.Drain(func(*bytes.Buffer) error { return nil }); err != nil {
			t.Errorf("drain: %v", err)
		}
	})
	return p
}

func TestWithReturnsValue(t *testing.T) {
	p := newBufferPool(t, 2)
	err := p.With(func(b *bytes.Buffer) error {
		b.WriteString("payload")
		return nil
	})
	if err != nil {
		t.Fatalf("With: %v", err)
	}
	if st := p.Stats(); st.InUse != 0 || st.Idle != 1 {
		t.Fatalf("stats after With = %+v, want 0 in use, 1 idle", st)
	}
}

func TestLeaseExhausted(t *testing.T) {
	p := newBufferPool(t, 1)
	b, err := p.Get()
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	defer p.Put(b)
	if err := p.Lease(1, func([]*bytes.Buffer) error { return nil }); !errors.Is(err, ErrExhausted) {
		t.Fatalf("Lease on full pool = %v, want ErrExhausted", err)
	}
}
