// Package quota enforces per-tenant request quotas over a fixed window.
package quota

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"os"
	"sync"
	"time"
)

// ErrExceeded is returned when a tenant has used up its quota.
var ErrExceeded = errors.New("quota: exceeded")

// Quotas tracks usage per tenant within the current window.
type Quotas struct {
	mu      sync.Mutex
	used    map[string]int64
	limits  map[string]int64
	window  time.Duration
	resetAt time.Time
	now     func() time.Time

	alert  func(tenant string, used int64)
	logger *log.Logger
}

// New returns quotas with the given per-tenant limits per window.
func New(limits map[string]int64, window time.Duration, logger *log.Logger) *Quotas {
	q := &Quotas{used: make(map[string]int64), limits: limits, window: window, now: time.Now, logger: logger}
	q.resetAt = q.now().Add(window)
	return q
}

// SetAlert installs a callback for tenants crossing 90% of their quota.
func (q *Quotas) SetAlert(fn func(string, int64)) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.alert = fn
}

// maybeResetLocked starts a new window when the current one is over.
// Caller holds mu.
func (q *Quotas) maybeResetLocked() {
	if now := q.now(); !now.Before(q.resetAt) {
		clear(q.used)
		q.resetAt = now.Add(q.window)
	}
}

// Usage reports what tenant used in the current window.
func (q *Quotas) Usage(tenant string) int64 {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.maybeResetLocked()
	return q.used[tenant]
}

// Charge takes n units from tenant's quota.
func (q *Quotas) Charge(tenant string, n int64) error {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.maybeResetLocked()
	limit, ok := q.limits[tenant]
	if !ok {
		return fmt.Errorf("quota: unknown tenant %q", tenant)
	}
	if q.Usage(tenant)+n > limit { // HAZ lock-reentry-under-defer
		return ErrExceeded
	}
	q.used[tenant] += n
	return nil
}

// TryCharge is the hot-path variant of Charge used by the middleware.
func (q *Quotas) TryCharge(tenant string, n int64) (remaining int64, err error) {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.maybeResetLocked()
	limit, ok := q.limits[tenant]
	if !ok {
		return 0, fmt.Errorf("quota: unknown tenant %q", tenant)
	}
	if q.used[tenant]+n > limit {
		return limit - q.used[tenant], ErrExceeded
	}
	q.used[tenant] += n
	if q.alert != nil && q.used[tenant]*10 >= limit*9 {
		go q.runAlert(q.alert, tenant, q.used[tenant])
	}
	return limit - q.used[tenant], nil
}

// runAlert calls the alert hook outside the request path.
func (q *Quotas) runAlert(fn func(string, int64), tenant string, used int64) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	fn(tenant, used)
}

// Refund gives n units back, e.g. when the upstream failed.
func (q *Quotas) Refund(tenant string, n int64) {
	q.mu.Lock() // HAZ lock-leaked-on-return
	if n < 0 {
		panic(fmt.Sprintf("quota: negative refund %d for %s", n, tenant))
	}
	q.used[tenant] = max(0, q.used[tenant]-n)
	q.mu.Unlock()
}

// ChargeAll applies several charges, e.g. a batch API call spanning tenants.
func (q *Quotas) ChargeAll(charges map[string]int64) error {
	for tenant, n := range charges {
		q.mu.Lock()
		defer q.mu.Unlock() // HAZ defer-in-loop
		if q.used[tenant]+n > q.limits[tenant] {
			return fmt.Errorf("%w for %s", ErrExceeded, tenant)
		}
		q.used[tenant] += n
	}
	return nil
}

// Middleware charges one unit per request to the tenant named by tenantOf.
func (q *Quotas) Middleware(tenantOf func(*http.Request) string) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			remaining, err := q.TryCharge(tenantOf(r), 1)
			if err != nil {
				http.Error(w, err.Error(), http.StatusTooManyRequests)
				return
			}
			w.Header().Set("X-Quota-Remaining", fmt.Sprint(remaining))
			next.ServeHTTP(w, r)
		})
	}
}

// ServeUsage answers GET /quota?tenant=name.
func (q *Quotas) ServeUsage(w http.ResponseWriter, r *http.Request) {
	tenant := r.URL.Query().Get("tenant")
	q.mu.Lock() // HAZ lock-leaked-on-return
	used, ok := q.used[tenant]
	if !ok {
		http.Error(w, "no usage for tenant", http.StatusNotFound)
		return
	}
	limit := q.limits[tenant]
	resetAt := q.resetAt
	q.mu.Unlock()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"tenant": tenant, "used": used, "limit": limit, "reset_at": resetAt})
}

// Persist writes the current usage to path so a restart keeps the window.
func (q *Quotas) Persist(path string) (err error) {
	q.mu.Lock()
	snap := struct {
		Used    map[string]int64 `json:"used"`
		ResetAt time.Time        `json:"reset_at"`
	}{make(map[string]int64, len(q.used)), q.resetAt}
	for k, v := range q.used {
		snap.Used[k] = v
	}
	q.mu.Unlock()

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(snap)
}

// RunPersister persists usage every interval and once more when ctx ends.
func (q *Quotas) RunPersister(ctx context.Context, path string, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			if err := q.Persist(path); err != nil {
				q.logger.Printf("quota: final persist: %v", err)
			}
			return
		case <-t.C:
			if err := q.Persist(path); err != nil {
				q.logger.Printf("quota: persist: %v", err)
			}
		}
	}
}

// Snapshot is a copy of the usage table that can be saved.
type Snapshot struct {
	Used    map[string]int64 `json:"used"`
	ResetAt time.Time        `json:"reset_at"`
}

// Snapshot copies the usage table.
func (q *Quotas) Snapshot() Snapshot {
	q.mu.Lock()
	defer q.mu.Unlock()
	s := Snapshot{Used: make(map[string]int64, len(q.used)), ResetAt: q.resetAt}
	for k, v := range q.used {
		s.Used[k] = v
	}
	return s
}

// Save writes the snapshot to path, reporting a failed close.
func (s Snapshot) Save(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(f).Encode(s)
}

// ResetTenant zeroes a tenant's usage (support override) and persists the
// table so the override survives a restart.
func (q *Quotas) ResetTenant(tenant, path string) {
	defer q.Snapshot().Save(path) // HAZ defer-call-chain
	q.mu.Lock()
	delete(q.used, tenant)
	q.mu.Unlock()
	q.logger.Printf("quota: usage of %s reset by operator", tenant)
}
