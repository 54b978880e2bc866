package pool

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net"
	"strings"
	"testing"
	"time"
)

func newBackend(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go serveBackend(c)
		}
	}()
	return ln.Addr().String()
}

func serveBackend(c net.Conn) {
	defer c.Close()
	r := bufio.NewReader(c)
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		reply := "+OK\r\n"
		if strings.TrimSpace(line) == "PING" {
			reply = "+PONG\r\n"
		}
		if _, err := io.WriteString(c, reply); err != nil {
			return
		}
	}
}

func TestPoolReusesConnections(t *testing.T) {
	p := New(TCPDialer(newBackend(t), time.Second), 2, 4, time.Minute)
	t.Cleanup(func() { p.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	for i := 0; i < 3; i++ {
		if err := p.WithConn(ctx, func(c *Conn) error { return c.Ping(ctx) }); err != nil {
			t.Fatalf("round %d: %v", i, err)
		}
	}
	if got := p.Stats().Open; got != 1 {
		t.Fatalf("open = %d, want 1", got)
	}
}

func TestGetHonoursContext(t *testing.T) {
	p := New(TCPDialer(newBackend(t), time.Second), 1, 1, 0)
	t.Cleanup(func() { p.Close() })
	held, err := p.Get(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(held.Release)

	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Millisecond)
	defer cancel()
	if _, err := p.Get(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Get on exhausted pool = %v, want deadline exceeded", err)
	}
}

func TestGetAfterClose(t *testing.T) {
	p := New(TCPDialer(newBackend(t), time.Second), 1, 1, 0)
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Get(context.Background()); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close = %v, want ErrClosed", err)
	}
}
