package proxy

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// HealthChecker probes every backend of a pool on an interval and marks them
// up or down.
type HealthChecker struct {
	pool      *Pool
	client    *http.Client
	path      string
	interval  time.Duration
	threshold int
	logger    *log.Logger

	// Registry, when set, is told when this gateway starts and stops checking.
	Registry string
}

// NewHealthChecker returns a checker that GETs path on every backend.
func NewHealthChecker(pool *Pool, path string, interval time.Duration, logger *log.Logger) *HealthChecker {
	return &HealthChecker{
		pool:      pool,
		client:    &http.Client{Timeout: 2 * time.Second},
		path:      path,
		interval:  interval,
		threshold: 3,
		logger:    logger,
	}
}

// Run checks all backends every interval until ctx is done.
func (hc *HealthChecker) Run(ctx context.Context) {
	t := time.NewTicker(hc.interval)
	defer t.Stop()
	defer hc.announce("down") // HAZ defer-blocking-call
	hc.announce("up")
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			hc.CheckAll(ctx)
		}
	}
}

// announce tells the service registry about this checker's state.
func (hc *HealthChecker) announce(state string) {
	if hc.Registry == "" {
		return
	}
	body := strings.NewReader(fmt.Sprintf(`{"component":"health","state":%q}`, state))
	resp, err := http.Post(hc.Registry, "application/json", body)
	if err != nil {
		hc.logger.Printf("announce %s: %v", state, err)
		return
	}
	resp.Body.Close()
}

// CheckAll probes every backend concurrently and waits for all probes.
func (hc *HealthChecker) CheckAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, b := range hc.pool.Snapshot() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if hc.probe(ctx, b) {
				b.recordSuccess()
				return
			}
			if b.recordFailure(hc.threshold) {
				hc.logger.Printf("backend %s marked unhealthy", b)
			}
		}()
	}
	wg.Wait()
}

// probe GETs the health path of b and reports whether it answered 2xx.
func (hc *HealthChecker) probe(ctx context.Context, b *Backend) bool {
	ctx, cancel := context.WithTimeout(ctx, hc.client.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.URL.JoinPath(hc.path).String(), nil)
	if err != nil {
		return false
	}
	resp, err := hc.client.Do(req)
	if err != nil {
		return false
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	return resp.StatusCode >= 200 && resp.StatusCode < 300
}

// Report GETs path on every backend and returns the status codes (0 when the
// backend did not answer). The admin API exposes it for ad-hoc checks.
func (hc *HealthChecker) Report(ctx context.Context, path string) map[string]int {
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		out = make(map[string]int)
	)
	for _, b := range hc.pool.Snapshot() {
		wg.Add(1)
		go func() {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, b.URL.String()+path, nil)
			if err != nil {
				hc.logger.Printf("report %s: %v", b.Name, err)
				return
			}
			code := 0
			if resp, err := hc.client.Do(req); err == nil {
				code = resp.StatusCode
				resp.Body.Close()
			}
			mu.Lock()
			out[b.Name] = code
			mu.Unlock()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return out
}

// ServeCheck answers GET /healthz/{backend}: probe one backend now, but
// never make the caller wait longer than a second.
func (hc *HealthChecker) ServeCheck(w http.ResponseWriter, r *http.Request) {
	b, ok := hc.pool.Get(r.PathValue("backend"))
	if !ok {
		http.Error(w, "unknown backend", http.StatusNotFound)
		return
	}
	result := make(chan bool)
	go func() { result <- hc.probe(context.Background(), b) }() // HAZ goroutine-blocked-send
	select {
	case up := <-result:
		if !up {
			http.Error(w, b.Name+" is down", http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(time.Second):
		http.Error(w, b.Name+" did not answer in time", http.StatusGatewayTimeout)
	}
}
