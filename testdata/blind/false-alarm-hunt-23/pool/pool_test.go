package pool

import (
	"context"
	"errors"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fah23/internal/trace"
)

type fakeConn struct {
	id      int
	pingErr error
	closed  atomic.Bool
}

func (c *fakeConn) Ping(ctx context.Context) error { return c.pingErr }

func (c *fakeConn) Close() error {
	if c.closed.Swap(true) {
		return errors.New("double close")
	}
	return nil
}

func countingDialer() (Dialer, *atomic.Int64) {
	var n atomic.Int64
	return func(ctx context.Context) (Conn, error) {
		return &fakeConn{id: int(n.Add(1))}, nil
	}, &n
}

// TestMain keeps its cleanup in runTests so that the deferred calls run
// before os.Exit.
func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	trace.Enable(os.Getenv("POOL_TRACE") != "")
	defer trace.Enable(false)
	return m.Run()
}

func TestAcquireReusesReleased(t *testing.T) {
	dial, dialed := countingDialer()
	p := New(dial, Options{MaxOpen: 2})
	defer p.Close()
	for i := 0; i < 5; i++ {
		l, err := p.Acquire(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		if err := l.Release(); err != nil {
			t.Fatal(err)
		}
	}
	if n := dialed.Load(); n != 1 {
		t.Fatalf("dialed %d connections, want 1", n)
	}
}

func TestAcquireHonoursContext(t *testing.T) {
	dial, _ := countingDialer()
	p := New(dial, Options{MaxOpen: 1})
	defer p.Close()
	held, err := p.Acquire(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if err := held.Release(); err != nil {
			t.Error(err)
		}
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Acquire(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err = %v, want deadline exceeded", err)
	}
}

func TestReapIdle(t *testing.T) {
	dial, _ := countingDialer()
	p := New(dial, Options{MaxOpen: 4, MaxIdleTime: time.Minute})
	defer p.Close()
	if err := p.Prefill(context.Background(), 3); err != nil {
		t.Fatal(err)
	}
	if n := p.reapIdle(time.Now().Add(2 * time.Minute)); n != 3 {
		t.Fatalf("reaped %d, want 3", n)
	}
	if s := p.Stats(); s.Open != 0 || s.Idle != 0 {
		t.Fatalf("stats after reap: %+v", s)
	}
}

func TestCloseTwice(t *testing.T) {
	dial, _ := countingDialer()
	p := New(dial, Options{})
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if err := p.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close: %v", err)
	}
}
