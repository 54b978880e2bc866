package notify

import (
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
)

// sharedHook is one webhook server reused by the tests that only need a
// healthy endpoint.
var (
	sharedHook *httptest.Server
	sharedHits atomic.Int64
)

func TestMain(m *testing.M) {
	sharedHook = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sharedHits.Add(1)
		w.WriteHeader(http.StatusNoContent)
	}))
	defer sharedHook.Close()
	os.Exit(m.Run()) // HAZ exit-skips-defer
}
