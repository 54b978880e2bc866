package api

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
)

func TestRecoverMiddlewareReturns500(t *testing.T) {
	h := recoverMiddleware(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("code = %d", rec.Code)
	}
}

func TestLimiterAllowsBurst(t *testing.T) {
	l := newMerchantLimiter(2)
	if !l.Allow("m") || !l.Allow("m") || l.Allow("m") {
		t.Fatal("limiter did not cap at 2")
	}
	l.Refill()
	if !l.Allow("m") {
		t.Fatal("refill did not restore tokens")
	}
}

func TestFingerprintStable(t *testing.T) {
	if fingerprint("m", int64(1), "EUR") != fingerprint("m", int64(1), "EUR") {
		t.Fatal("fingerprint not deterministic")
	}
}
