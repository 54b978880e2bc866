package api

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"example.com/objstore/internal/auth"
	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/store"
)

var secret = []byte("api-test-secret")

func newTestServer(t *testing.T) (*Server, *store.Store) {
	t.Helper()
	logger := log.New(io.Discard, "", 0)
	st, err := store.Open(t.TempDir(), obs.NewRegistry(), logger)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := st.Buckets().Create("media", time.Now()); err != nil {
		t.Fatal(err)
	}
	v := auth.NewVerifier(time.Minute)
	v.AddKey("tester", secret)
	srv := NewServer(Options{Store: st, Verifier: v, Metrics: obs.NewRegistry(), Logger: logger, ExportDir: t.TempDir()})
	return srv, st
}

func do(t *testing.T, h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	t.Helper()
	auth.SignRequest(req, "tester", secret, time.Now())
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestGetRange(t *testing.T) {
	srv, st := newTestServer(t)
	if _, err := st.PutObject(context.Background(), "media", "clips/a.txt", strings.NewReader("abcdefghij"), "text/plain", ""); err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/media/clips/a.txt", nil)
	req.Header.Set("Range", "bytes=2-4")
	rec := do(t, srv.Handler(), req)
	if rec.Code != http.StatusPartialContent {
		t.Fatalf("status = %d: %s", rec.Code, rec.Body)
	}
	if got := rec.Body.String(); got != "cde" {
		t.Errorf("body = %q", got)
	}
	if cr := rec.Header().Get("Content-Range"); cr != "bytes 2-4/10" {
		t.Errorf("Content-Range = %q", cr)
	}
}

func TestPutRejectsBadDigest(t *testing.T) {
	srv, _ := newTestServer(t)
	req := httptest.NewRequest(http.MethodPut, "/media/x.bin", strings.NewReader("payload"))
	req.Header.Set(sha256Header, strings.Repeat("0", 64))
	rec := do(t, srv.Handler(), req)
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status = %d, want 400", rec.Code)
	}
}
