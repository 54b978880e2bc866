package proxy

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"
)

func newTestBackend(t *testing.T, name string, h http.HandlerFunc) *Backend {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	b, err := NewBackend(name, srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestPickSkipsUnhealthy(t *testing.T) {
	up := &Backend{Name: "up", healthy: true}
	down := &Backend{Name: "down"}
	p := NewPool(down, up, down)
	for i := 0; i < 10; i++ {
		b, err := p.Pick()
		if err != nil {
			t.Fatal(err)
		}
		if b != up {
			t.Fatalf("picked %s", b.Name)
		}
	}
}

func TestProxyRetriesOn503(t *testing.T) {
	var calls atomic.Int32
	flaky := newTestBackend(t, "flaky", func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		w.WriteHeader(http.StatusServiceUnavailable)
	})
	good := newTestBackend(t, "good", func(w http.ResponseWriter, _ *http.Request) {
		calls.Add(1)
		io.WriteString(w, "hello")
	})
	p := New(NewPool(flaky, good), nil, Options{Retries: 2, Timeout: 5 * time.Second, Logger: log.New(io.Discard, "", 0)})
	front := httptest.NewServer(p)
	defer front.Close()

	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(front.URL + "/greet")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != http.StatusOK || string(body) != "hello" {
		t.Fatalf("got %d %q after %d calls", resp.StatusCode, body, calls.Load())
	}
}

func TestSingleJoin(t *testing.T) {
	for _, tc := range []struct{ a, b, want string }{
		{"/api/", "/v1", "/api/v1"},
		{"/api", "v1", "/api/v1"},
		{"", "/v1", "/v1"},
	} {
		if got := singleJoin(tc.a, tc.b); got != tc.want {
			t.Errorf("singleJoin(%q, %q) = %q, want %q", tc.a, tc.b, got, tc.want)
		}
	}
}
