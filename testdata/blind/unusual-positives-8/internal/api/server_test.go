package api

import (
	"bytes"
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/up8/internal/trace"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	aud := NewBatchAuditor(io.Discard, 16)
	t.Cleanup(func() { aud.Close() })
	cfg := Config{
		TTL:          time.Minute,
		UploadsPerIP: 10,
		Backend:      func(context.Context) error { return nil },
		BackendName:  "test",
		ProbeTimeout: time.Second,
	}
	return NewServer(cfg, aud, trace.Nop{}, log.New(&bytes.Buffer{}, "", 0))
}

func TestDownloadMissing(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/blobs/none", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestDownloadStored(t *testing.T) {
	s := newTestServer(t)
	s.store.Put("a", []byte("blob"))
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/blobs/a", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "blob" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestHealth(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d", rec.Code)
	}
}
