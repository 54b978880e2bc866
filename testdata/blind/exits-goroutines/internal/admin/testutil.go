package admin

import (
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
)

// CheckEndpoint is a helper shared by the integration tests of the admin
// HTTP surface. TB.Fatalf stops the goroutine with runtime.Goexit, which runs
// the deferred calls, so the test server is always closed.
func CheckEndpoint(tb testing.TB, h http.Handler, path string, want int) []byte {
	tb.Helper()
	srv := httptest.NewServer(h)
	defer srv.Close()

	resp, err := srv.Client().Get(srv.URL + path)
	if err != nil {
		tb.Fatalf("GET %s: %v", path, err) // ok: Goexit runs deferred calls
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		tb.Fatalf("GET %s: read body: %v", path, err) // ok: Goexit runs deferred calls
	}
	if resp.StatusCode != want {
		tb.Fatalf("GET %s: status %d, want %d; body: %s", path, resp.StatusCode, want, body) // ok
	}
	return body
}
