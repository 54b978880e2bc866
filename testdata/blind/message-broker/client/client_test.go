package client

import (
	"context"
	"os"
	"testing"
	"time"
)

func TestFanInClosesOutput(t *testing.T) {
	a := make(chan Message, 2)
	b := make(chan Message, 1)
	a <- Message{Offset: 1}
	a <- Message{Offset: 2}
	b <- Message{Offset: 3}
	close(a)
	close(b)
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	n := 0
	for range FanIn(ctx, a, b) {
		n++
	}
	if n != 3 {
		t.Fatalf("got %d messages, want 3", n)
	}
}

func TestSpoolAndSize(t *testing.T) {
	c := &Client{cfg: Config{OutboxDir: t.TempDir()}}
	if err := c.spool("orders", []byte("k"), []byte("hello")); err != nil {
		t.Fatal(err)
	}
	files, err := c.outboxFiles()
	if err != nil {
		t.Fatal(err)
	}
	if len(files) != 1 {
		t.Fatalf("files = %v", files)
	}
	size, err := outboxSize(files[0])
	if err != nil {
		t.Fatal(err)
	}
	if size == 0 {
		t.Fatal("empty outbox file")
	}
	if _, err := os.Stat(files[0]); err != nil {
		t.Fatal(err)
	}
}

func TestDialNoAddrs(t *testing.T) {
	if _, err := Dial(Config{}); err == nil {
		t.Fatal("expected error")
	}
}
