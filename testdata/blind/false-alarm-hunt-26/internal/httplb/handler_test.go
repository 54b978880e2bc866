package httplb

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"example.com/fah26/internal/backend"
	"example.com/fah26/internal/limit"
	"example.com/fah26/internal/stats"
)

func TestHandlerForwards(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Upstream", "yes")
		io.WriteString(w, "hello from "+r.URL.Path)
	}))
	defer upstream.Close()

	pool, err := backend.NewPool(backend.New("u1", strings.TrimPrefix(upstream.URL, "http://"), 0))
	if err != nil {
		t.Fatal(err)
	}
	h := &Handler{
		Pool:    pool,
		Client:  upstream.Client(),
		Metrics: stats.NewMetrics(),
		Limiter: limit.New(4),
		Logger:  log.New(io.Discard, "", 0),
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "http://lb.example/abc", nil))
	if rec.Code != http.StatusOK || rec.Body.String() != "hello from /abc" {
		t.Fatalf("got %d %q", rec.Code, rec.Body.String())
	}
	if rec.Header().Get("X-Upstream") != "yes" {
		t.Fatal("upstream header not copied")
	}
}

func TestRecoverMiddleware(t *testing.T) {
	h := Recover(log.New(io.Discard, "", 0), http.HandlerFunc(func(http.ResponseWriter, *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("status %d, want 500", rec.Code)
	}
}

func TestCopyHeaderDropsHopByHop(t *testing.T) {
	src := http.Header{}
	src.Set("Connection", "close, X-Secret")
	src.Set("X-Secret", "1")
	src.Set("Keep-Alive", "timeout=5")
	src.Set("Content-Type", "text/plain")
	dst := http.Header{}
	copyHeader(dst, src)
	if len(dst) != 1 || dst.Get("Content-Type") != "text/plain" {
		t.Fatalf("copied %v", dst)
	}
}
