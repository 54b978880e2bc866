// Package admin serves the gateway's operator API: status, config reload,
// draining, cache control and diagnostics. It listens on a separate,
// token-protected address.
package admin

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gateway/internal/cache"
	"example.com/gateway/internal/config"
	"example.com/gateway/internal/middleware"
	"example.com/gateway/internal/proxy"
	"example.com/gateway/internal/sse"
)

// Deps are the components the admin API controls.
type Deps struct {
	Config     *config.Config
	ConfigPath string
	Pool       *proxy.Pool
	Health     *proxy.HealthChecker
	Cache      *cache.LRU
	Limiter    *middleware.RateLimiter
	Broker     *sse.Broker
	Logger     *log.Logger
}

// Admin is the operator API.
type Admin struct {
	mu          sync.RWMutex
	cfg         *config.Config
	maintenance bool

	cfgPath  string
	pool     *proxy.Pool
	health   *proxy.HealthChecker
	cache    *cache.LRU
	limiter  *middleware.RateLimiter
	broker   *sse.Broker
	logger   *log.Logger
	client   *http.Client
	started  time.Time
	draining atomic.Bool
}

// New returns the admin API over d.
func New(d Deps) *Admin {
	return &Admin{
		cfg:     d.Config,
		cfgPath: d.ConfigPath,
		pool:    d.Pool,
		health:  d.Health,
		cache:   d.Cache,
		limiter: d.Limiter,
		broker:  d.Broker,
		logger:  d.Logger,
		client:  &http.Client{Timeout: 5 * time.Second},
		started: time.Now(),
	}
}

// Routes returns the token-protected admin mux.
func (a *Admin) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /status", a.handleStatus)
	mux.HandleFunc("GET /config", a.handleConfig)
	mux.HandleFunc("POST /reload", a.handleReload)
	mux.HandleFunc("POST /recheck", a.handleRecheck)
	mux.HandleFunc("POST /drain", a.handleDrain)
	mux.HandleFunc("POST /resume", a.handleResume)
	mux.HandleFunc("POST /maintenance", a.handleMaintenance)
	mux.HandleFunc("POST /cache/purge", a.handlePurge)
	mux.HandleFunc("POST /cache/purge-many", a.handlePurgeMany)
	mux.HandleFunc("POST /cache/dump", a.handleDump)
	mux.HandleFunc("GET /cache/export", a.handleExport)
	mux.HandleFunc("GET /backends/report", a.handleReport)
	mux.HandleFunc("POST /snapshot", a.handleSnapshot)
	mux.HandleFunc("POST /debug/heap", a.handleHeapDump)
	mux.HandleFunc("GET /debug/goroutines", a.handleGoroutines)
	mux.HandleFunc("POST /debug/cpu", a.handleCPUProfile)
	return a.requireToken(mux)
}

// requireToken checks the admin bearer token in constant time.
func (a *Admin) requireToken(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		want := a.current().AdminToken
		got := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		if want == "" || subtle.ConstantTimeCompare([]byte(got), []byte(want)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		next.ServeHTTP(w, r)
	})
}

func (a *Admin) current() *config.Config {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.cfg
}

func (a *Admin) setCurrent(cfg *config.Config) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.cfg = cfg
}

// InMaintenance reports whether the gateway is in maintenance mode.
func (a *Admin) InMaintenance() bool {
	a.mu.RLock()
	defer a.mu.RUnlock()
	return a.maintenance
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

// recoverHandler turns a panic of an admin handler into a 500. It must be
// deferred directly: defer a.recoverHandler(w, "op").
func (a *Admin) recoverHandler(w http.ResponseWriter, op string) {
	if rec := recover(); rec != nil {
		a.logger.Printf("admin %s panicked: %v\n%s", op, rec, debug.Stack())
		http.Error(w, "internal error", http.StatusInternalServerError)
	}
}

// goSafe runs fn in a goroutine that logs a panic instead of crashing.
func (a *Admin) goSafe(name string, fn func()) {
	go func() {
		defer func() {
			if rec := recover(); rec != nil {
				a.logger.Printf("admin background %s panicked: %v\n%s", name, rec, debug.Stack())
			}
		}()
		fn()
	}()
}

// buildBackends turns configured upstreams into backends.
func buildBackends(ups []config.Upstream) ([]*proxy.Backend, error) {
	out := make([]*proxy.Backend, 0, len(ups))
	var errs []error
	for _, u := range ups {
		b, err := proxy.NewBackend(u.Name, u.URL)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		out = append(out, b)
	}
	return out, errors.Join(errs...)
}

// verifyBackends fails when no backend of the live pool is healthy.
func (a *Admin) verifyBackends() error {
	if n := a.pool.HealthyCount(); n == 0 {
		return fmt.Errorf("none of %d backends is healthy", len(a.pool.Snapshot()))
	}
	return nil
}

// rollback restores the pool and limiter of prev.
func (a *Admin) rollback(prev *config.Config) {
	backends, err := buildBackends(prev.Upstreams)
	if err != nil {
		a.logger.Printf("admin: rollback: %v", err)
	}
	a.pool.Replace(backends)
	if err := a.limiter.SetRate(prev.RatePerSecond, prev.Burst); err != nil {
		a.logger.Printf("admin: rollback rate: %v", err)
	}
	a.setCurrent(prev)
}
