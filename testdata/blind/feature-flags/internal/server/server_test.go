package server

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"testing"
	"time"

	"example.com/flagsvc/internal/metrics"
	"example.com/flagsvc/internal/store"
	"example.com/flagsvc/internal/stream"
)

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	st, err := store.Open(filepath.Join(t.TempDir(), "flags.json"))
	if err != nil {
		t.Fatal(err)
	}
	s := New(Config{
		Store:   st,
		Broker:  stream.NewBroker(16, time.Second),
		Metrics: metrics.NewRegistry(),
		Logger:  log.New(io.Discard, "", 0),
	})
	ts := httptest.NewServer(s.Routes())
	t.Cleanup(ts.Close)
	return s, ts
}

func TestRecovererReturns500(t *testing.T) {
	s, _ := newTestServer(t)
	h := s.recoverer(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status = %d, want 500", rec.Code)
	}
}
