package ratelimit

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"
)

func TestBucketBurst(t *testing.T) {
	b := NewBucket(1, 3)
	for i := 0; i < 3; i++ {
		if !b.Allow() {
			t.Fatalf("request %d rejected within burst", i)
		}
	}
	if b.Allow() {
		t.Fatal("request beyond burst allowed")
	}
}

func TestWaitHonoursContext(t *testing.T) {
	b := NewBucket(0.001, 1)
	b.Allow()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if err := b.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Wait = %v, want deadline exceeded", err)
	}
}

func TestMiddlewareRejects(t *testing.T) {
	l := NewLimiter(0.001, 1)
	h := l.Middleware(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	codes := make([]int, 0, 2)
	for i := 0; i < 2; i++ {
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodGet, "/example.com/a/@v/list", nil)
		req.RemoteAddr = "192.0.2.1:1234"
		h.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
	}
	if codes[0] != http.StatusNoContent || codes[1] != http.StatusTooManyRequests {
		t.Fatalf("codes = %v", codes)
	}
}

func TestPrune(t *testing.T) {
	l := NewLimiter(1, 1)
	l.Allow("a")
	l.Allow("b")
	if n := l.Prune(-time.Second); n != 2 {
		t.Fatalf("Prune removed %d, want 2", n)
	}
}
