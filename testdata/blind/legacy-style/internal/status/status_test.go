package status

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/legacystyle/internal/logx"
	"example.com/legacystyle/internal/store"
)

func newTestServer() *Server {
	return NewServer(store.New(0), logx.New(&bytes.Buffer{}, "", false))
}

func TestHealth(t *testing.T) {
	s := newTestServer()
	rec := httptest.NewRecorder()
	s.handleHealth(rec, httptest.NewRequest("GET", "/healthz", nil))
	if rec.Code != http.StatusOK || !strings.HasPrefix(rec.Body.String(), "ok") {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
}

func TestSetThenDump(t *testing.T) {
	s := newTestServer()
	rec := httptest.NewRecorder()
	s.handleSet(rec, httptest.NewRequest("POST", "/set?key=a", strings.NewReader("1")))
	if rec.Code != http.StatusNoContent {
		t.Fatalf("set: %d", rec.Code)
	}
	rec = httptest.NewRecorder()
	s.handleDump(rec, httptest.NewRequest("GET", "/dump", nil))
	if !strings.Contains(rec.Body.String(), "a") {
		t.Fatalf("dump = %q", rec.Body.String())
	}
}
