package pool

import (
	"bufio"
	"context"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

// serveFake answers the line protocol on one end of a net.Pipe.
func serveFake(nc net.Conn) {
	defer nc.Close()
	sc := bufio.NewScanner(nc)
	for sc.Scan() {
		reply := "+OK"
		if strings.EqualFold(strings.TrimSpace(sc.Text()), "PING") {
			reply = "+PONG"
		}
		if _, err := io.WriteString(nc, reply+"\r\n"); err != nil {
			return
		}
	}
}

func pipeDial(ctx context.Context, addr string) (net.Conn, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	client, server := net.Pipe()
	go serveFake(server)
	return client, nil
}

func newTestPool(t *testing.T, cfg Config) *Pool {
	t.Helper()
	cfg.Addr = "pipe"
	cfg.Dial = pipeDial
	p, err := New(cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { _ = p.Close() })
	return p
}

func TestGetPutReusesConnection(t *testing.T) {
	p := newTestPool(t, Config{MaxIdle: 2})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()

	c1, err := p.Get(ctx)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	if err := c1.Ping(ctx); err != nil {
		t.Fatalf("Ping: %v", err)
	}
	p.Put(c1)
	c2, err := p.Get(ctx)
	if err != nil {
		t.Fatalf("second Get: %v", err)
	}
	t.Cleanup(func() { p.Put(c2) })
	if c1 != c2 {
		t.Fatalf("expected the idle connection to be reused")
	}
	if s := p.Stats(); s.Dials != 1 || s.Reuses != 1 {
		t.Fatalf("stats = %+v, want 1 dial and 1 reuse", s)
	}
}

func TestWaiterReceivesReturnedConn(t *testing.T) {
	p := newTestPool(t, Config{MaxOpen: 1, MaxIdle: 1})
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()

	c1, err := p.Get(ctx)
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	got := make(chan *Conn, 1)
	go func() {
		c, err := p.Get(ctx)
		if err != nil {
			got <- nil
			return
		}
		got <- c
	}()
	for p.waiting() == 0 {
		time.Sleep(time.Millisecond)
	}
	p.Put(c1)
	c2 := <-got
	if c2 != c1 {
		t.Fatalf("waiter got %p, want %p", c2, c1)
	}
	p.Put(c2)
}

func TestWaiterTimesOut(t *testing.T) {
	p := newTestPool(t, Config{MaxOpen: 1})
	c, err := p.Get(context.Background())
	if err != nil {
		t.Fatalf("Get: %v", err)
	}
	t.Cleanup(func() { p.Put(c) })

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := p.Get(ctx); err != context.DeadlineExceeded {
		t.Fatalf("Get on exhausted pool = %v, want deadline exceeded", err)
	}
	if n := p.waiting(); n != 0 {
		t.Fatalf("%d waiters left behind", n)
	}
}

func TestCloseStopsCleaner(t *testing.T) {
	p, err := New(Config{Addr: "pipe", Dial: pipeDial, IdleTimeout: 10 * time.Millisecond})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := p.Warm(context.Background(), 2); err != nil {
		t.Fatalf("Warm: %v", err)
	}
	if err := p.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if err := p.Close(); err != ErrClosed {
		t.Fatalf("second Close = %v, want ErrClosed", err)
	}
	if _, err := p.Get(context.Background()); err != ErrClosed {
		t.Fatalf("Get after Close = %v, want ErrClosed", err)
	}
}

func TestRegistryCreatesOnce(t *testing.T) {
	created := 0
	r := NewRegistry(func(name string) (*Pool, error) {
		created++
		return New(Config{Addr: name, Dial: pipeDial})
	})
	t.Cleanup(func() { _ = r.CloseAll() })

	a, err := r.Get("primary")
	if err != nil {
		t.Fatal(err)
	}
	b, err := r.Get("primary")
	if err != nil {
		t.Fatal(err)
	}
	if a != b || created != 1 {
		t.Fatalf("registry created %d pools, want 1", created)
	}
	if got := r.Names(); len(got) != 1 || got[0] != "primary" {
		t.Fatalf("Names = %v", got)
	}
}
