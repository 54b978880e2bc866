package pool

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
)

type fakeConn struct {
	id     int
	closed *atomic.Int64
}

func (f *fakeConn) Close() error {
	f.closed.Add(1)
	return nil
}

func newFakePool(t *testing.T, opts ...Option[*fakeConn]) (*Pool[*fakeConn], *atomic.Int64) {
	t.Helper()
	var closed atomic.Int64
	var next atomic.Int64
	dial := func(context.Context) (*fakeConn, error) {
		return &fakeConn{id: int(next.Add(1)), closed: &closed}, nil
	}
	p := New(dial, opts...)
	t.Cleanup(func() {
		if err := p.Close(); err != nil {
			t.Error(err)
		}
	})
	return p, &closed
}

func TestWithReusesIdle(t *testing.T) {
	p, _ := newFakePool(t)
	var first, second int
	if _, err := With(context.Background(), p, func(c *fakeConn) (struct{}, error) {
		first = c.id
		return struct{}{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := With(context.Background(), p, func(c *fakeConn) (struct{}, error) {
		second = c.id
		return struct{}{}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if first != second {
		t.Fatalf("idle resource not reused: %d then %d", first, second)
	}
}

func TestPrimeClosesOnFailure(t *testing.T) {
	var closed atomic.Int64
	calls := 0
	p := New(func(context.Context) (*fakeConn, error) {
		calls++
		if calls == 3 {
			return nil, errors.New("refused")
		}
		return &fakeConn{id: calls, closed: &closed}, nil
	})
	if err := p.Prime(context.Background(), 5); err == nil {
		t.Fatal("want an error")
	}
	if closed.Load() != 2 {
		t.Fatalf("closed %d, want 2", closed.Load())
	}
}

func TestLeaseOrDiscard(t *testing.T) {
	p, closed := newFakePool(t, WithMaxIdle[*fakeConn](1))
	_, err := WithLeaseOrDiscard(context.Background(), p, func(*fakeConn) (int, error) {
		return 0, errors.New("protocol error")
	})
	if err == nil {
		t.Fatal("want an error")
	}
	if closed.Load() != 1 {
		t.Fatalf("failed session not discarded")
	}
}
