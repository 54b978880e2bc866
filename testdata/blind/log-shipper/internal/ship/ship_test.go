package ship

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func TestSendRetriesServerErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	s := New(srv.URL, Options{Retries: 3, Timeout: time.Second, Backoff: Backoff{Base: time.Millisecond, Max: 5 * time.Millisecond, Factor: 2}})
	if err := s.send(context.Background(), []byte("x")); err != nil {
		t.Fatal(err)
	}
	if calls.Load() != 3 {
		t.Fatalf("calls = %d, want 3", calls.Load())
	}
}

func TestSendDoesNotRetryClientErrors(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusBadRequest)
	}))
	defer srv.Close()
	s := New(srv.URL, Options{Retries: 3, Timeout: time.Second, Backoff: Backoff{Base: time.Millisecond, Max: time.Millisecond, Factor: 2}})
	err := s.Send(context.Background(), []byte("x"))
	if _, ok := err.(*StatusError); !ok || calls.Load() != 1 {
		t.Fatalf("err = %v, calls = %d", err, calls.Load())
	}
}

func TestBackoffCapped(t *testing.T) {
	b := Backoff{Base: time.Second, Max: 4 * time.Second, Factor: 2}
	for n, want := range map[int]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 10: 4 * time.Second} {
		if got := b.Delay(n); got != want {
			t.Errorf("Delay(%d) = %v, want %v", n, got, want)
		}
	}
}

func TestLimiterBounds(t *testing.T) {
	l := NewLimiter(1)
	release := l.Acquire()
	select {
	case l.slots <- struct{}{}:
		t.Fatal("second slot available")
	default:
	}
	release()
	release() // idempotent
	done := l.Acquire()
	done()
}
