package api

import (
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/ingest"
	"example.com/searchindexer/internal/query"
	"example.com/searchindexer/internal/snapshot"
	"example.com/searchindexer/internal/textproc"
	"example.com/searchindexer/internal/trace"
)

func newTestServer(t *testing.T) *Server {
	t.Helper()
	logger := log.New(os.Stderr, "", 0)
	a := textproc.NewAnalyzer()
	mem := index.NewMemIndex(a)
	eng := query.NewEngine(mem, nil, trace.NewRecorder(), logger, 8)
	pipe := ingest.NewPipeline(mem, 1, 16, logger)
	return NewServer(eng, mem, pipe, a, snapshot.NewManager(t.TempDir(), logger), logger)
}

func TestSearchRejectsBadLimit(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/search?q=merge&limit=0", nil))
	if rec.Code != http.StatusBadRequest {
		t.Fatalf("status = %d", rec.Code)
	}
}

func TestFlushBusyWithoutLoop(t *testing.T) {
	s := newTestServer(t)
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/flush", nil))
	if rec.Code != http.StatusTooManyRequests {
		t.Fatalf("status = %d, want 429 when no flush loop runs", rec.Code)
	}
}

func TestParseLimitDefault(t *testing.T) {
	n, err := parseLimit(httptest.NewRequest(http.MethodGet, "/search?q=x", nil))
	if err != nil || n != 10 {
		t.Fatalf("parseLimit = %d, %v", n, err)
	}
}
