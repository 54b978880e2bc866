package webhook

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func newTestDispatcher() *Dispatcher {
	d := NewDispatcher(&http.Client{Timeout: time.Second}, log.New(io.Discard, "", 0))
	d.baseBackoff = time.Millisecond
	return d
}

func TestBroadcastAllDeliversToEnabled(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Webhook-Signature") == "" {
			t.Error("missing signature")
		}
		hits.Add(1)
	}))
	defer srv.Close()

	d := newTestDispatcher()
	eps := []Endpoint{{ID: "a", URL: srv.URL}, {ID: "b", URL: srv.URL}, {ID: "c", URL: srv.URL, Disabled: true}}
	res := d.BroadcastAll(context.Background(), eps, Event{ID: "evt_1", Payload: []byte(`{}`)})
	if len(res) != 2 || hits.Load() != 2 {
		t.Fatalf("results = %+v, hits = %d", res, hits.Load())
	}
	if d.Delivered("a") != 1 {
		t.Fatalf("delivered(a) = %d", d.Delivered("a"))
	}
}

func TestQuickDeliverTimesOut(t *testing.T) {
	block := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer srv.Close()
	defer close(block)

	d := newTestDispatcher()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := d.QuickDeliver(ctx, Endpoint{ID: "slow", URL: srv.URL}, Event{ID: "evt_2"}); err == nil {
		t.Fatal("expected timeout")
	}
}

func TestDeliverDoesNotRetry4xx(t *testing.T) {
	var hits atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		w.WriteHeader(http.StatusGone)
	}))
	defer srv.Close()

	d := newTestDispatcher()
	if err := d.Deliver(context.Background(), Endpoint{ID: "gone", URL: srv.URL}, Event{ID: "evt_3"}); err == nil {
		t.Fatal("expected error")
	}
	if hits.Load() != 1 {
		t.Fatalf("hits = %d", hits.Load())
	}
}
