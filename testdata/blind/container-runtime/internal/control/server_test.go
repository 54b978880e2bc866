package control

import (
	"context"
	"errors"
	"io"
	"log"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func startServer(t *testing.T) (*Server, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "c.sock")
	srv, err := Listen(path, log.New(io.Discard, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	served := make(chan error, 1)
	go func() { served <- srv.Serve(ctx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-served; err != nil {
			t.Errorf("Serve: %v", err)
		}
	})
	return srv, path
}

func TestDispatch(t *testing.T) {
	srv, path := startServer(t)
	srv.Handle("echo", func(_ context.Context, req Request) (any, error) {
		return strings.Join(req.Args, " "), nil
	})
	srv.Handle("fail", func(context.Context, Request) (any, error) {
		return nil, errors.New("boom")
	})

	c, err := Dial(path, time.Second)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()

	var got string
	if err := c.Call(Request{Op: "echo", Args: []string{"a", "b"}}, &got); err != nil {
		t.Fatal(err)
	}
	if got != "a b" {
		t.Fatalf("echo = %q", got)
	}
	if err := c.Call(Request{Op: "fail"}, nil); err == nil || err.Error() != "boom" {
		t.Fatalf("fail = %v", err)
	}
	if err := c.Call(Request{Op: "nope"}, nil); err == nil {
		t.Fatal("unknown op accepted")
	}
}

func TestLastLines(t *testing.T) {
	lines, err := lastLines(strings.NewReader("1\n2\n3\n4\n"), 2)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(lines, ",") != "3,4" {
		t.Fatalf("got %v", lines)
	}
}
