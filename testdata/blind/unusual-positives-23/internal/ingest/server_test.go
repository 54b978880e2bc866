package ingest

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/up23/internal/store"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	logger := log.New(io.Discard, "", 0)
	st, err := store.Open(t.TempDir(), 2, logger)
	if err != nil {
		t.Fatal(err)
	}
	return NewServer(st, logger, nil)
}

func TestHandleWrite(t *testing.T) {
	s := newTestServer(t)
	body := strings.NewReader("cpu 1 0.5\ncpu 2 0.75\nmem 1 1024\n")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/write", body))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	ev := <-s.Events()
	if ev.Points != 3 {
		t.Fatalf("event points = %d, want 3", ev.Points)
	}
}

func TestQueryFast(t *testing.T) {
	s := newTestServer(t)
	if err := s.st.Write("cpu", store.Point{TS: 1, V: 2}); err != nil {
		t.Fatal(err)
	}
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/query/fast?series=cpu", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), `"series":"cpu"`) {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
}

func TestParseLinesRejectsGarbage(t *testing.T) {
	if _, err := parseLines(strings.NewReader("cpu one two\n")); err == nil {
		t.Fatal("parseLines accepted a malformed line")
	}
}
