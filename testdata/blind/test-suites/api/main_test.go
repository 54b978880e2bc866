package api

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
)

// auditSink collects audit lines for every test in the package.
var (
	auditSink *httptest.Server
	auditHits atomic.Int64
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

// runTests owns the shared fixtures so that their deferred cleanup runs
// before TestMain exits.
func runTests(m *testing.M) int {
	auditSink = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auditHits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer auditSink.Close()
	return m.Run()
}
