package relay_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"example.com/fah14/internal/clock"
	"example.com/fah14/internal/relay"
)

func statusServer(t *testing.T, code int) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.WriteHeader(code)
	}))
	t.Cleanup(srv.Close)
	return srv
}

func TestProbeEach(t *testing.T) {
	t.Parallel()
	ok := statusServer(t, http.StatusOK)
	down := statusServer(t, http.StatusServiceUnavailable)
	p := relay.NewProber(http.DefaultClient, clock.Real{})

	results := p.ProbeEach(context.Background(), []string{ok.URL, down.URL})
	sort.Slice(results, func(i, j int) bool { return results[i].Status < results[j].Status })
	if len(results) != 2 || results[0].Status != 200 || results[1].Status != 503 {
		t.Fatalf("results = %+v", results)
	}
}

func TestProbeBatchAllAnswered(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		codes []int
	}{
		{"single", []int{200}},
		{"mixed", []int{200, 404, 500}},
		{"none", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			var urls []string
			for _, c := range tc.codes {
				urls = append(urls, statusServer(t, c).URL)
			}
			p := relay.NewProber(http.DefaultClient, clock.Real{})
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			if got := p.ProbeBatch(ctx, urls); len(got) != len(tc.codes) {
				t.Errorf("got %d results, want %d", len(got), len(tc.codes))
			}
		})
	}
}

func TestProbeLatencyWithFakeClock(t *testing.T) {
	t.Parallel()
	clk := clock.NewFake(time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		clk.Advance(150 * time.Millisecond)
		w.WriteHeader(http.StatusOK)
	}))
	defer srv.Close()
	p := relay.NewProber(srv.Client(), clk)
	res := p.ProbeEach(context.Background(), []string{srv.URL})
	if len(res) != 1 || res[0].Latency != 150*time.Millisecond {
		t.Errorf("results = %+v, want one with 150ms latency", res)
	}
}

// hitCounter answers 204 until a path has been hit more than limit times,
// then 429.
type hitCounter struct {
	mu    sync.Mutex
	hits  map[string]int
	limit int
}

func (h *hitCounter) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mu.Lock() // HAZ lock-leaked-on-return
	h.hits[r.URL.Path]++
	if h.hits[r.URL.Path] > h.limit {
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	}
	h.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

func (h *hitCounter) count(path string) int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.hits[path]
}

func TestProbeWithinCountsHits(t *testing.T) {
	t.Parallel()
	hc := &hitCounter{hits: map[string]int{}, limit: 5}
	srv := httptest.NewServer(hc)
	defer srv.Close()
	p := relay.NewProber(srv.Client(), clock.Real{})
	for range 3 {
		if _, err := p.ProbeWithin(srv.URL+"/a", time.Second); err != nil {
			t.Fatal(err)
		}
	}
	if n := hc.count("/a"); n != 3 {
		t.Errorf("hits = %d, want 3", n)
	}
}

func TestPingDown(t *testing.T) {
	t.Parallel()
	down := statusServer(t, http.StatusBadGateway)
	p := relay.NewProber(down.Client(), clock.Real{})
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if p.Ping(ctx, down.URL) {
		t.Error("Ping reported a 502 endpoint as up")
	}
}
