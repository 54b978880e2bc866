package relay_test

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
)

// upstream is a subscriber endpoint shared by the package's tests; it
// records every request body by event id.
var (
	upstream   *httptest.Server
	upstreamMu sync.Mutex
	received   = map[string][]byte{}
)

func TestMain(m *testing.M) {
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	upstream = httptest.NewServer(http.HandlerFunc(recordHandler))
	defer upstream.Close()
	return m.Run()
}

func recordHandler(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	upstreamMu.Lock()
	defer upstreamMu.Unlock()
	received[r.Header.Get("X-Event-Id")] = body
	w.WriteHeader(http.StatusNoContent)
}

func receivedBody(id string) ([]byte, bool) {
	upstreamMu.Lock()
	defer upstreamMu.Unlock()
	b, ok := received[id]
	return b, ok
}
