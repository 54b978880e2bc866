package api

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"example.com/fah22/internal/cache"
	"example.com/fah22/internal/sessions"
	"example.com/fah22/internal/trace"
	"example.com/fah22/internal/upstream"
)

type fixedPricer struct {
	price float64
	delay time.Duration
}

func (p fixedPricer) Quote(ctx context.Context, _ string) (float64, error) {
	t := time.NewTimer(p.delay)
	defer t.Stop()
	select {
	case <-t.C:
		return p.price, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

func newTestHandlers(t *testing.T, backend http.Handler, primary, backup Pricer) *Handlers {
	t.Helper()
	ts := httptest.NewServer(backend)
	t.Cleanup(ts.Close)
	lg := log.New(io.Discard, "", 0)
	return NewHandlers(Deps{
		Cache:      cache.New(time.Minute, nil),
		Upstream:   upstream.NewClient(ts.URL, time.Second, lg),
		Sessions:   sessions.NewStore(time.Hour),
		Pricing:    primary,
		Backup:     backup,
		Recorder:   trace.NewRecorder(),
		Log:        lg,
		Timeout:    time.Second,
		HedgeAfter: 20 * time.Millisecond,
	})
}

func TestGetItemIsCachedAfterFirstCall(t *testing.T) {
	var calls atomic.Int32
	h := newTestHandlers(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		io.WriteString(w, `{"id":"7","name":"lamp","price":12.5}`)
	}), nil, nil)
	routes := h.Routes()
	for range 2 {
		rr := httptest.NewRecorder()
		routes.ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/items/7", nil))
		if rr.Code != http.StatusOK {
			t.Fatalf("status %d: %s", rr.Code, rr.Body)
		}
	}
	if n := calls.Load(); n != 1 {
		t.Fatalf("backend called %d times, want 1", n)
	}
}

func TestHedgedQuoteFallsBackToBackup(t *testing.T) {
	h := newTestHandlers(t, http.NotFoundHandler(),
		fixedPricer{price: 1, delay: 500 * time.Millisecond},
		fixedPricer{price: 2, delay: 0})
	rr := httptest.NewRecorder()
	h.Routes().ServeHTTP(rr, httptest.NewRequest(http.MethodGet, "/quote/ACME/hedged", nil))
	if rr.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rr.Code, rr.Body)
	}
	if body := rr.Body.String(); body != "{\"price\":2,\"symbol\":\"ACME\"}\n" {
		t.Fatalf("body = %q", body)
	}
}
