package status

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"example.com/backupd/internal/index"
	"example.com/backupd/internal/progress"
	"example.com/backupd/internal/scheduler"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	return New(Config{RepoDir: t.TempDir()}, scheduler.New(nil), progress.NewReporter(8, time.Second), index.New(), nil)
}

func TestHealth(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/healthz", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "ok\n" {
		t.Fatalf("GET /healthz = %d %q", rec.Code, rec.Body.String())
	}
}

func TestStatusJSON(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/status", nil))
	if rec.Code != http.StatusOK {
		t.Fatalf("GET /status = %d", rec.Code)
	}
	var doc statusDoc
	if err := json.Unmarshal(rec.Body.Bytes(), &doc); err != nil {
		t.Fatalf("bad JSON: %v", err)
	}
	if doc.Panics != 0 || len(doc.Running) != 0 {
		t.Fatalf("unexpected status %+v", doc)
	}
}
