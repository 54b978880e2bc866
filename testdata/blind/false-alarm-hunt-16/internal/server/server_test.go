package server

import (
	"errors"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/fah16/internal/state"
)

func newTestServer(t *testing.T) (*Server, *state.Store) {
	t.Helper()
	store := state.NewStore()
	return New(store, state.NewHealth(store), "", log.New(io.Discard, "", 0)), store
}

func TestHandleSources(t *testing.T) {
	s, store := newTestServer(t)
	store.Register("app.log")

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/sources", nil))
	if rec.Code != http.StatusOK || !strings.Contains(rec.Body.String(), "app.log") {
		t.Fatalf("%d %s", rec.Code, rec.Body)
	}
}

func TestAdvanceRunsHooks(t *testing.T) {
	s, store := newTestServer(t)
	store.Register("app.log")
	var seen []string
	s.AddHook(func(src string) { seen = append(seen, src) })

	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/sources/app.log/advance", strings.NewReader("17")))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d: %s", rec.Code, rec.Body)
	}
	if len(seen) != 1 || seen[0] != "app.log" {
		t.Fatalf("hooks saw %v", seen)
	}
}

func TestRunJobRecovers(t *testing.T) {
	s, _ := newTestServer(t)
	err := s.RunJob("explode", func() error { panic("boom") })
	if err == nil || !strings.Contains(err.Error(), "boom") {
		t.Fatalf("RunJob() = %v", err)
	}
	want := errors.New("plain")
	if err := s.RunJob("fail", func() error { return want }); !errors.Is(err, want) {
		t.Fatalf("RunJob() = %v", err)
	}
}
