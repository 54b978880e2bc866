package webhook

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"example.com/mqworker/internal/metrics"
)

func TestDeliverSignsBody(t *testing.T) {
	body := []byte(`{"id":"evt_1"}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got, _ := io.ReadAll(r.Body)
		ts, _ := strconv.ParseInt(r.Header.Get("X-Timestamp"), 10, 64)
		if r.Header.Get("X-Signature") != Sign("s3cret", ts, got) {
			http.Error(w, "bad signature", http.StatusUnauthorized)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	c := NewClient(2*time.Second, "mqworker-test")
	status, err := c.Deliver(context.Background(), Endpoint{ID: "ep1", URL: srv.URL, Secret: "s3cret"}, "invoice.paid", body)
	if err != nil || status != http.StatusNoContent {
		t.Fatalf("Deliver = %d, %v", status, err)
	}
}

func TestDeliverStatusError(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "nope", http.StatusGone)
	}))
	defer srv.Close()

	c := NewClient(time.Second, "t")
	_, err := c.Deliver(context.Background(), Endpoint{URL: srv.URL}, "e", nil)
	se, ok := err.(*StatusError)
	if !ok || se.Retryable() {
		t.Fatalf("err = %#v, want non-retryable StatusError", err)
	}
}

func TestDeliverAllKeepsOrder(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()

	d := NewDispatcher(NewClient(time.Second, "t"), metrics.New(), log.New(io.Discard, "", 0), map[string]bool{"paused": true})
	eps := []Endpoint{{ID: "a", URL: srv.URL}, {ID: "paused", URL: srv.URL}, {ID: "c", URL: srv.URL}}
	res := d.DeliverAll(context.Background(), eps, "ping", []byte("{}"))
	if res[0].Endpoint.ID != "a" || res[1].Err == nil || res[2].Status != http.StatusOK {
		t.Fatalf("results = %+v", res)
	}
	if hits.Load() != 2 {
		t.Fatalf("hits = %d, want 2", hits.Load())
	}
}

func TestStreamClosesAfterAllSenders(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	d := NewDispatcher(NewClient(time.Second, "t"), metrics.New(), log.New(io.Discard, "", 0), nil)
	n := 0
	for range d.Stream(context.Background(), []Endpoint{{URL: srv.URL}, {URL: srv.URL}}, "e", nil) {
		n++
	}
	if n != 2 {
		t.Fatalf("got %d results", n)
	}
}
