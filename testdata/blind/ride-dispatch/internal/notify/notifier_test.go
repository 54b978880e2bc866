package notify

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func newTestNotifier(hooks []Hook, opts Options) *Notifier {
	return New(&http.Client{Timeout: time.Second}, hooks, log.New(io.Discard, "", 0), opts)
}

func TestPostSignsBody(t *testing.T) {
	var gotSig string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		gotSig = r.Header.Get("X-Dispatch-Signature")
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	n := newTestNotifier(nil, Options{})
	body, _ := json.Marshal(Event{Type: "trip.completed", TripID: "t1"})
	if err := n.post(context.Background(), job{hook: Hook{URL: srv.URL, Secret: "s3"}, body: body}); err != nil {
		t.Fatal(err)
	}
	if want := "sha256=" + sign("s3", body); gotSig != want {
		t.Fatalf("signature %q, want %q", gotSig, want)
	}
}

func TestDeliverRetriesThenSucceeds(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusBadGateway)
			return
		}
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	n := newTestNotifier(nil, Options{Retries: 3, Backoff: time.Millisecond})
	if err := n.deliver(context.Background(), job{hook: Hook{URL: srv.URL}}); err != nil {
		t.Fatal(err)
	}
	if c := calls.Load(); c != 3 {
		t.Fatalf("calls = %d, want 3", c)
	}
}

func TestDeliverStopsOnPermanentError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusGone)
	}))
	defer srv.Close()

	n := newTestNotifier(nil, Options{Retries: 5, Backoff: time.Millisecond})
	err := n.deliver(context.Background(), job{hook: Hook{URL: srv.URL}})
	var pe *permanentError
	if !errors.As(err, &pe) || pe.status != http.StatusGone {
		t.Fatalf("err = %v, want permanent 410", err)
	}
}

func TestPublishQueueFull(t *testing.T) {
	n := newTestNotifier([]Hook{{Name: "a", URL: "http://127.0.0.1:1"}}, Options{QueueSize: 1})
	if err := n.Publish(Event{Type: "x"}); err != nil {
		t.Fatal(err)
	}
	if err := n.Publish(Event{Type: "x"}); !errors.Is(err, ErrQueueFull) {
		t.Fatalf("err = %v, want ErrQueueFull", err)
	}
}
