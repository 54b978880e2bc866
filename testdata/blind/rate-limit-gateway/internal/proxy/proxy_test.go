package proxy

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"example.com/ratelimitgw/internal/config"
	"example.com/ratelimitgw/internal/limiter"
)

func TestRecovererAnswers500(t *testing.T) {
	h := Recoverer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		panic("boom")
	}))
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/x", nil))
	if rec.Code != http.StatusInternalServerError {
		t.Fatalf("code = %d", rec.Code)
	}
}

func TestTableMatchesLongestPrefix(t *testing.T) {
	upstream := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer upstream.Close()
	tbl := NewTable(limiter.NewRegistry(limiter.Policy{Burst: 10, PerSecond: 10}, nil))
	cfg := &config.Config{Version: 1, Routes: []config.Route{
		{Name: "root", Prefix: "/", Upstream: upstream.URL},
		{Name: "api", Prefix: "/api/", Upstream: upstream.URL},
	}}
	if err := tbl.Replace(cfg); err != nil {
		t.Fatal(err)
	}
	if rt := tbl.Match("/api/v1/users"); rt == nil || rt.Name() != "api" {
		t.Fatalf("matched %v", rt)
	}
}

func TestRateLimitRejects(t *testing.T) {
	reg := limiter.NewRegistry(limiter.Policy{Burst: 1, PerSecond: 0}, nil)
	ok := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {})
	h := NewRateLimit(reg, "X-Tenant", 0, ok)
	codes := make([]int, 0, 2)
	for i := 0; i < 2; i++ {
		req := httptest.NewRequest(http.MethodGet, "/", nil)
		req.Header.Set("X-Tenant", "acme")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		codes = append(codes, rec.Code)
	}
	if codes[0] != http.StatusOK || codes[1] != http.StatusTooManyRequests {
		t.Fatalf("codes = %v", codes)
	}
}
