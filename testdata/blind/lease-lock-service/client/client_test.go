package client

import (
	"bufio"
	"context"
	"fmt"
	"net"
	"strings"
	"sync"
	"testing"
	"time"
)

// fakeServer answers GRANT/KEEPALIVE/REVOKE with canned replies.
func fakeServer(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	t.Cleanup(func() {
		ln.Close()
		wg.Wait()
	})
	wg.Add(1)
	go func() {
		defer wg.Done()
		for {
			nc, err := ln.Accept()
			if err != nil {
				return
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer nc.Close()
				serveFake(nc)
			}()
		}
	}()
	return ln.Addr().String()
}

func serveFake(nc net.Conn) {
	br := bufio.NewReader(nc)
	for {
		line, err := br.ReadString('\n')
		if err != nil {
			return
		}
		f := strings.Fields(line)
		var reply string
		switch {
		case len(f) == 0:
			continue
		case f[0] == "PING":
			reply = "PONG"
		case f[0] == "GRANT":
			reply = "OK 42"
		case f[0] == "KEEPALIVE":
			reply = "OK 3000"
		case f[0] == "REVOKE" && len(f) == 2 && f[1] == "42":
			reply = "OK"
		default:
			reply = "ERR not found"
		}
		if _, err := fmt.Fprintln(nc, reply); err != nil {
			return
		}
	}
}

func TestGrantKeepAliveRevoke(t *testing.T) {
	addr := fakeServer(t)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := New(ctx, Config{Endpoints: []string{addr}})
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	id, err := c.Grant(ctx, 3*time.Second)
	if err != nil || id != 42 {
		t.Fatalf("Grant = %d, %v", id, err)
	}
	ttl, err := c.KeepAlive(ctx, id)
	if err != nil || ttl != 3*time.Second {
		t.Fatalf("KeepAlive = %v, %v", ttl, err)
	}
	if err := c.Revoke(ctx, id); err != nil {
		t.Fatalf("Revoke: %v", err)
	}
	var se *ServerError
	if err := c.Revoke(ctx, 7); err == nil || !asServerError(err, &se) {
		t.Fatalf("Revoke unknown lease: %v", err)
	}
}

func asServerError(err error, target **ServerError) bool {
	se, ok := err.(*ServerError)
	if ok {
		*target = se
	}
	return ok
}

func TestPingAnswers(t *testing.T) {
	addr := fakeServer(t)
	if err := Ping(addr, time.Second); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestParseEvent(t *testing.T) {
	ev, err := parseEvent("EVENT PUT locks/a 42 17\n")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Type != "PUT" || ev.Key != "locks/a" || ev.Lease != 42 || ev.Rev != 17 {
		t.Fatalf("parsed %+v", ev)
	}
	if _, err := parseEvent("EVENT PUT"); err == nil {
		t.Fatal("short line accepted")
	}
}
