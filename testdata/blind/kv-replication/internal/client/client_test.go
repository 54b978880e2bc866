package client

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func newTestServer(t *testing.T, h http.HandlerFunc) string {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	return strings.TrimPrefix(srv.URL, "http://")
}

func TestGetFollowsRedirect(t *testing.T) {
	leader := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte("value"))
	})
	follower := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Raft-Leader", leader)
		w.WriteHeader(http.StatusTemporaryRedirect)
	})
	c := New([]string{follower}, WithBackoff(time.Millisecond))
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	v, err := c.Get(ctx, "k")
	if err != nil {
		t.Fatal(err)
	}
	if string(v) != "value" || c.currentLeader() != leader {
		t.Fatalf("v=%q leader=%q", v, c.currentLeader())
	}
}

func TestGetNotFound(t *testing.T) {
	addr := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		http.NotFound(w, r)
	})
	c := New([]string{addr})
	defer c.Close()
	if _, err := c.Get(context.Background(), "nope"); !errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v", err)
	}
}

func TestGetWithinBufferedTimesOut(t *testing.T) {
	release := make(chan struct{})
	addr := newTestServer(t, func(w http.ResponseWriter, r *http.Request) {
		<-release
	})
	defer close(release)
	c := New([]string{addr}, WithRetries(1))
	defer c.Close()
	if _, err := c.GetWithinBuffered("k", 20*time.Millisecond); !errors.Is(err, ErrTimeout) {
		t.Fatalf("err = %v", err)
	}
}

func TestPickMajority(t *testing.T) {
	ch := make(chan string, 3)
	ch <- "a"
	ch <- "b"
	ch <- "a"
	close(ch)
	got, err := pickMajority(ch)
	if err != nil || got != "a" {
		t.Fatalf("got %q, %v", got, err)
	}
}
