package api

import (
	"encoding/json"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/fleet/internal/telemetry"
)

func newTestServer() (*Server, *telemetry.Ring) {
	ring := telemetry.NewRing(16)
	return NewServer(Deps{Ring: ring, Token: "op-token"}), ring
}

func TestAuthRequired(t *testing.T) {
	s, _ := newTestServer()
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/v1/telemetry?device=d1", nil))
	if rec.Code != http.StatusUnauthorized {
		t.Fatalf("status %d", rec.Code)
	}
}

func TestTelemetryQuery(t *testing.T) {
	s, ring := newTestServer()
	ring.Push(telemetry.Sample{DeviceID: "d1", Metric: "temp", Value: 20.5, At: time.Now()})
	req := httptest.NewRequest(http.MethodGet, "/v1/telemetry?device=d1", nil)
	req.Header.Set("Authorization", "Bearer op-token")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	var got []telemetry.Sample
	if err := json.NewDecoder(rec.Body).Decode(&got); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Value != 20.5 {
		t.Fatalf("got %+v", got)
	}
}

func TestRecoverMiddleware(t *testing.T) {
	h := withRecover(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}), log.New(io.Discard, "", 0))
	rec := httptest.NewRecorder()
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatalf("panic escaped middleware: %v", r)
			}
		}()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	}()
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d", rec.Code)
	}
}
