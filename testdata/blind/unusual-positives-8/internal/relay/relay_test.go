package relay

import (
	"bufio"
	"bytes"
	"context"
	"log"
	"net"
	"testing"
	"time"
)

func TestSendAndBroadcastAll(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	got := make(chan string, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			got <- ""
			return
		}
		defer c.Close()
		line, _ := bufio.NewReader(c).ReadString('\n')
		got <- line
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := Send(ctx, ln.Addr().String(), []string{"hello"}); err != nil {
		t.Fatal(err)
	}
	if line := <-got; line != "hello\n" {
		t.Fatalf("server read %q", line)
	}

	a, b := net.Pipe()
	defer a.Close()
	defer b.Close()
	go func() { _, _ = bufio.NewReader(b).ReadString('\n') }()
	r := New("unused:0", log.New(&bytes.Buffer{}, "", 0))
	if err := r.BroadcastAll([]net.Conn{a}, []byte("ping\n")); err != nil {
		t.Fatal(err)
	}
}
