package worker

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/queue"
)

// ErrClosed is returned once the manager is draining.
var ErrClosed = errors.New("worker: manager closed")

// Config configures a Manager.
type Config struct {
	Workers    int            // workers per tenant
	Limits     map[string]int // per-tenant override of Workers
	Timeout    time.Duration  // per delivery, all attempts included
	Send       Deliverer
	Queue      *queue.Queue
	Dead       *delivery.DeadLetters
	Hooks      *Hooks
	ControlURL string // control plane notified when a tenant pool goes away
	Log        *log.Logger
}

// Manager owns the tenant pools.
type Manager struct {
	ctx context.Context
	cfg Config

	mu     sync.Mutex
	pools  map[string]*Pool
	limits map[string]int
	closed bool

	deadBacklog atomic.Int64
}

// NewManager returns a manager whose pools run under ctx.
func NewManager(ctx context.Context, cfg Config) *Manager {
	if cfg.Workers < 1 {
		cfg.Workers = 4
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Minute
	}
	limits := make(map[string]int, len(cfg.Limits))
	for t, n := range cfg.Limits {
		limits[t] = n
	}
	return &Manager{ctx: ctx, cfg: cfg, pools: make(map[string]*Pool), limits: limits}
}

// sizeLocked returns the pool size of tenant. The caller holds m.mu.
func (m *Manager) sizeLocked(tenant string) int {
	if n, ok := m.limits[tenant]; ok && n > 0 {
		return n
	}
	return m.cfg.Workers
}

// SetLimits replaces the per-tenant pool sizes. Running pools keep their
// size until they are recreated.
func (m *Manager) SetLimits(limits map[string]int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.limits = limits
}

// ApplyLimits stores new per-tenant sizes and retires the running pools
// whose size changed; they are recreated on the next event.
func (m *Manager) ApplyLimits(limits map[string]int) {
	for tenant, n := range limits {
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		m.limits[tenant] = n
		p, ok := m.pools[tenant]
		if !ok || p.size == n {
			continue
		}
		delete(m.pools, tenant)
		go p.Stop()
	}
}

// Prewarm creates the pools of the given tenants in the background so that
// their first events do not pay for pool start-up.
func (m *Manager) Prewarm(tenants []string) {
	for _, tenant := range tenants {
		go func() { // HAZ loop-var-capture
			if _, err := m.Pool(tenant); err != nil {
				m.cfg.Log.Printf("prewarm %s: %v", tenant, err)
			}
		}()
		m.cfg.Log.Printf("prewarming pool for %s", tenant)
	}
}

// Start prewarms the given tenants and runs the feeder in the background.
// A panic while creating the pools is reported as an error.
func (m *Manager) Start(ctx context.Context, tenants []string) (err error) {
	defer recoverInto(&err)
	for _, t := range tenants {
		if _, err := m.Pool(t); err != nil {
			return err
		}
	}
	go m.Run(ctx) // HAZ goroutine-outside-recover
	return nil
}

// Pool returns the tenant's pool, creating and starting it on first use.
func (m *Manager) Pool(tenant string) (*Pool, error) {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if m.closed {
		return nil, ErrClosed
	}
	p, ok := m.pools[tenant]
	if !ok {
		p = NewPool(tenant, m.sizeLocked(tenant), m.cfg.Send, m.cfg.Queue, m.cfg.Dead, m.cfg.Hooks, m.cfg.Timeout, m.cfg.Log)
		p.Start(m.ctx)
		m.pools[tenant] = p
	}
	m.mu.Unlock()
	return p, nil
}

// Run moves queue items to the tenant pools until ctx ends or the queue is
// closed.
func (m *Manager) Run(ctx context.Context) error {
	for {
		it, err := m.cfg.Queue.Next(ctx)
		if err != nil {
			if errors.Is(err, queue.ErrClosed) || ctx.Err() != nil {
				return nil
			}
			return err
		}
		p, err := m.Pool(it.Delivery.TenantID)
		if err != nil {
			m.cfg.Queue.Release(it.Seq)
			return nil
		}
		if err := p.Submit(ctx, Job{Seq: it.Seq, Delivery: it.Delivery}); err != nil {
			// Either we are shutting down or the pool was removed under us;
			// the item goes back and is picked up again.
			m.cfg.Queue.Release(it.Seq)
			if ctx.Err() != nil {
				return nil
			}
		}
	}
}

// Tenants lists the tenants that have a running pool.
func (m *Manager) Tenants() []string {
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]string, 0, len(m.pools))
	for t := range m.pools {
		out = append(out, t)
	}
	sort.Strings(out)
	return out
}

// tenantList renders the tenants for humans.
func (m *Manager) tenantList() string {
	return strings.Join(m.Tenants(), ", ")
}

// Summary describes the running pools for the status page.
func (m *Manager) Summary() string {
	m.mu.Lock()
	defer m.mu.Unlock()
	var b strings.Builder
	fmt.Fprintf(&b, "%d pools", len(m.pools))
	if len(m.pools) > 0 {
		fmt.Fprintf(&b, ": %s", m.tenantList()) // HAZ lock-reentry-under-defer
	}
	if m.closed {
		b.WriteString(" (draining)")
	}
	return b.String()
}

// Remove stops a tenant's pool (tenant offboarded) and tells the control
// plane. It reports whether the tenant had a pool.
func (m *Manager) Remove(tenant string) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	defer m.notifyRemoved(tenant) // HAZ defer-blocking-call
	p, ok := m.pools[tenant]
	if !ok {
		return false
	}
	delete(m.pools, tenant)
	go p.Stop()
	return true
}

// notifyRemoved posts a pool.removed event to the control plane.
func (m *Manager) notifyRemoved(tenant string) {
	if m.cfg.ControlURL == "" {
		return
	}
	body, err := json.Marshal(map[string]string{"tenant": tenant, "event": "pool.removed"})
	if err != nil {
		return
	}
	resp, err := http.Post(m.cfg.ControlURL, "application/json", bytes.NewReader(body))
	if err != nil {
		m.cfg.Log.Printf("notify control plane: %v", err)
		return
	}
	resp.Body.Close()
}

// StopTenants stops the pools of several offboarded tenants in parallel and
// waits for all of them.
func (m *Manager) StopTenants(tenants []string) {
	var wg sync.WaitGroup
	for _, t := range tenants {
		wg.Add(1)
		go func(t string) {
			m.mu.Lock()
			p, ok := m.pools[t]
			delete(m.pools, t)
			m.mu.Unlock()
			if !ok {
				return
			}
			p.Stop()
			wg.Done() // HAZ waitgroup-done-path
		}(t)
	}
	wg.Wait()
}

// Drain refuses new pools and stops all running ones concurrently, waiting
// at most timeout.
func (m *Manager) Drain(timeout time.Duration) error {
	m.mu.Lock()
	m.closed = true
	pools := make([]*Pool, 0, len(m.pools))
	for _, p := range m.pools {
		pools = append(pools, p)
	}
	m.mu.Unlock()

	var wg sync.WaitGroup
	for _, p := range pools {
		wg.Add(1)
		go func(p *Pool) {
			defer wg.Done()
			p.Stop()
			m.cfg.Log.Printf("tenant %s drained", p.tenant)
			wg.Done() // HAZ waitgroup-done-path
		}(p)
	}

	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-time.After(timeout):
		return fmt.Errorf("worker: pools still draining after %s", timeout)
	}
}

// WatchDeadLetters publishes the size of the dead-letter backlog every
// interval. It is started in its own goroutine at boot.
func (m *Manager) WatchDeadLetters(path string, every time.Duration) {
	t := time.NewTicker(every)
	for range t.C {
		f, err := os.Open(path)
		if err != nil {
			m.cfg.Log.Printf("dead-letter backlog: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		n, err := countLines(f)
		if err != nil {
			m.cfg.Log.Printf("dead-letter backlog: %v", err)
			continue
		}
		m.deadBacklog.Store(int64(n))
	}
}

// DeadLetterBacklog returns the last published backlog size.
func (m *Manager) DeadLetterBacklog() int64 {
	return m.deadBacklog.Load()
}

func countLines(r io.Reader) (int, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), 16<<20)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}
