package delivery

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"example.com/webhooks/internal/breaker"
	"example.com/webhooks/internal/metrics"
	"example.com/webhooks/internal/signing"
)

func newTestSender() *Sender {
	return NewSender(&http.Client{Timeout: 2 * time.Second}, breaker.NewSet(3, time.Minute),
		metrics.New(), log.New(io.Discard, "", 0),
		Options{MaxAttempts: 3, Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond}})
}

func TestDeliverRetriesThenSucceeds(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if err := signing.Verify([]byte("s3cret"), r.Header.Get(signing.Header), body, time.Now(), time.Minute); err != nil {
			http.Error(w, err.Error(), http.StatusUnauthorized)
			return
		}
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()

	d := Delivery{ID: "d1", URL: srv.URL, Secret: "s3cret", Event: "invoice.paid", Payload: []byte(`{"id":1}`)}
	res := newTestSender().Deliver(context.Background(), d)
	if !res.OK() {
		t.Fatalf("delivery failed: %+v", res)
	}
	if res.Attempts != 3 {
		t.Fatalf("attempts = %d, want 3", res.Attempts)
	}
}

func TestDeliverDoesNotRetryClientErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusGone)
	}))
	defer srv.Close()

	res := newTestSender().Deliver(context.Background(), Delivery{ID: "d2", URL: srv.URL, Payload: []byte(`{}`)})
	if res.OK() || calls.Load() != 1 {
		t.Fatalf("res=%+v calls=%d, want one failed attempt", res, calls.Load())
	}
}

func TestBackoffStaysBelowMax(t *testing.T) {
	b := Backoff{Base: 100 * time.Millisecond, Max: time.Second}
	for attempt := 1; attempt < 20; attempt++ {
		if d := b.Delay(attempt); d <= 0 || d > time.Second {
			t.Fatalf("Delay(%d) = %s", attempt, d)
		}
	}
}
