package httpx

import (
	"context"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/falsealarm7/cache"
	"example.com/falsealarm7/eventbus"
)

func newTestServer(t *testing.T) *httptest.Server {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	logger := log.New(io.Discard, "", 0)
	s := NewServer(ctx, cache.NewLRU[string, string](16, nil), eventbus.New(), logger)
	ts := httptest.NewServer(Chain(s.Handler(), Recoverer(logger), Logging(logger)))
	t.Cleanup(ts.Close)
	return ts
}

func do(t *testing.T, method, url, body string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(method, url, strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}

func TestPutGet(t *testing.T) {
	ts := newTestServer(t)
	if resp := do(t, http.MethodPut, ts.URL+"/v1/keys/a", "hello"); resp.StatusCode != http.StatusOK {
		t.Fatalf("put: %s", resp.Status)
	}
	resp := do(t, http.MethodGet, ts.URL+"/v1/keys/a", "")
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), "hello") {
		t.Fatalf("body = %s", b)
	}
}

func TestRecovererReturns500(t *testing.T) {
	logger := log.New(io.Discard, "", 0)
	h := Recoverer(logger)(http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("handler bug")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("code = %d", rec.Code)
	}
}

func TestClientIP(t *testing.T) {
	r := httptest.NewRequest(http.MethodGet, "/", nil)
	r.RemoteAddr = "10.0.0.1:5555"
	if ip := ClientIP(r); ip != "10.0.0.1" {
		t.Fatalf("ip = %q", ip)
	}
}
