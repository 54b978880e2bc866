package ws

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"
	"time"
)

var (
	testServer  *httptest.Server
	fixturePath string
)

func TestMain(m *testing.M) {
	f, err := os.CreateTemp("", "ws-frames-*.bin")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.Remove(f.Name())
	if err := errors.Join(WriteFrameTo(f, []byte("fixture")), f.Close()); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	fixturePath = f.Name()

	hub := NewHub(func(c *Conn, p []byte) { _ = c.WriteFrame(p) }, log.New(io.Discard, "", 0))
	testServer = httptest.NewServer(hub)
	defer testServer.Close()
	os.Exit(m.Run()) // HAZ exit-skips-defer
}

func TestReadFixtureFrame(t *testing.T) {
	f, err := os.Open(fixturePath)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	p, err := ReadFrame(f, MaxFrame)
	if err != nil || string(p) != "fixture" {
		t.Fatalf("fixture frame = %q, %v", p, err)
	}
}

func TestFrameRoundTrip(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteFrameTo(&buf, []byte("hello")); err != nil {
		t.Fatal(err)
	}
	p, err := ReadFrame(&buf, MaxFrame)
	if err != nil || string(p) != "hello" {
		t.Fatalf("ReadFrame = %q, %v", p, err)
	}
	if _, err := ReadFrame(bytes.NewReader(closeFrame), MaxFrame); err != ErrClosed {
		t.Fatalf("close frame: err = %v", err)
	}
}

func TestEchoSession(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, err := Dial(ctx, strings.TrimPrefix(testServer.URL, "http://"), "/")
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if err := c.WriteFrame([]byte("ping")); err != nil {
		t.Fatal(err)
	}
	p, err := ReadFrame(c.br, MaxFrame)
	if err != nil || string(p) != "ping" {
		t.Fatalf("echo = %q, %v", p, err)
	}
}

func TestUpgradeRejectsPlainRequests(t *testing.T) {
	rec := httptest.NewRecorder()
	_, err := Upgrade(rec, httptest.NewRequest(http.MethodGet, "/", nil), "x")
	if err != errNotUpgrade {
		t.Fatalf("err = %v", err)
	}
}
