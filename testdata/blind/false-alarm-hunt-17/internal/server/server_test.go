package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/fah17/internal/index"
	"example.com/fah17/internal/store"
)

func newTestServer(t *testing.T) (*Server, *httptest.Server) {
	t.Helper()
	logger := slog.New(slog.DiscardHandler)
	st, err := store.Open(t.TempDir(), store.Options{Logger: logger})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := st.Put("greeting", strings.NewReader("hi")); err != nil {
		t.Fatal(err)
	}
	s := New(st, index.New(logger, nil), logger, nil)
	ts := httptest.NewServer(s.Routes())
	t.Cleanup(ts.Close)
	return s, ts
}

func TestGetServesStoredBlob(t *testing.T) {
	_, ts := newTestServer(t)
	resp, err := http.Get(ts.URL + "/blobs/greeting")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("status %s", resp.Status)
	}
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if string(b) != "hi" {
		t.Fatalf("body %q", b)
	}
}

func TestGetMissingIs404(t *testing.T) {
	s, _ := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Routes().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/blobs/nope", nil))
	if rec.Code != http.StatusNotFound {
		t.Fatalf("status %d", rec.Code)
	}
}
