package pool_test

import (
	"context"
	"net"
	"testing"
	"time"

	"example.com/falsealarm8/pool"
	"example.com/falsealarm8/testutil"
)

func TestGetPutReuses(t *testing.T) {
	srv := testutil.StartEcho(t)
	var d net.Dialer
	p := pool.New(func(ctx context.Context) (net.Conn, error) {
		return d.DialContext(ctx, "tcp", srv.Addr())
	}, pool.Options{MaxOpen: 2, DialTimeout: time.Second})
	t.Cleanup(func() { _ = p.Close() })

	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for range 3 {
		err := p.WithConn(ctx, func(c *pool.Conn) error {
			if _, err := c.Write([]byte("ping\n")); err != nil {
				return err
			}
			buf := make([]byte, 5)
			_, err := c.Read(buf)
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if st := p.Stats(); st.Open != 1 || st.Idle != 1 {
		t.Errorf("stats %+v, want one open idle connection", st)
	}
	if n := srv.Accepted(); n != 1 {
		t.Errorf("server accepted %d connections", n)
	}
}

func TestProbeTimesOut(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	slow := func(ctx context.Context) (net.Conn, error) {
		time.Sleep(100 * time.Millisecond)
		return nil, context.DeadlineExceeded
	}
	if err := pool.Probe(ctx, slow); err == nil {
		t.Error("expected a timeout")
	}
}
