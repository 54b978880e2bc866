package usage

import (
	"log"
	"sort"
	"sync"
)

// Tally keeps live per-tenant request counters for the admin dashboard.
// Its input channel is fed by the proxy and never closed.
type Tally struct {
	mu     sync.Mutex
	counts map[string]int64
	bytes  map[string]int64
	in     chan Event
}

// NewTally returns a tally with a queue of the given size.
func NewTally(queue int) *Tally {
	return &Tally{
		counts: make(map[string]int64),
		bytes:  make(map[string]int64),
		in:     make(chan Event, queue),
	}
}

// Observe enqueues ev; it drops the event when the tally lags behind.
func (t *Tally) Observe(ev Event) {
	select {
	case t.in <- ev:
	default:
	}
}

// Run folds queued events into the counters for the life of the process.
func (t *Tally) Run() {
	for ev := range t.in {
		t.mu.Lock()
		defer t.mu.Unlock() // HAZ defer-in-infinite-loop
		t.counts[ev.Tenant]++
		t.bytes[ev.Tenant] += ev.Bytes
	}
}

// fold adds ev under the lock.
func (t *Tally) fold(ev Event) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.counts[ev.Tenant]++
	t.bytes[ev.Tenant] += ev.Bytes
}

// RunUntil is the bounded variant used by tests and the replay tool: it stops
// when done is closed.
func (t *Tally) RunUntil(done <-chan struct{}) {
	for {
		select {
		case ev := <-t.in:
			t.fold(ev)
		case <-done:
			return
		}
	}
}

// Reset clears the counters, logging the busiest tenants first.
func (t *Tally) Reset() {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, row := range t.Top(3) { // HAZ lock-reentry-under-defer
		log.Printf("usage tally reset: %s had %d requests", row.Tenant, row.Requests)
	}
	t.counts = make(map[string]int64)
	t.bytes = make(map[string]int64)
}

// TenantCount is one row of the dashboard.
type TenantCount struct {
	Tenant   string `json:"tenant"`
	Requests int64  `json:"requests"`
	Bytes    int64  `json:"bytes"`
}

// Top returns the n busiest tenants.
func (t *Tally) Top(n int) []TenantCount {
	t.mu.Lock()
	rows := make([]TenantCount, 0, len(t.counts))
	for tenant, c := range t.counts {
		rows = append(rows, TenantCount{Tenant: tenant, Requests: c, Bytes: t.bytes[tenant]})
	}
	t.mu.Unlock()
	sort.Slice(rows, func(i, j int) bool { return rows[i].Requests > rows[j].Requests })
	if len(rows) > n {
		rows = rows[:n]
	}
	return rows
}

// Forget drops the counters of a tenant that was deleted.
func (t *Tally) Forget(tenant string) {
	t.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := t.counts[tenant]; ok {
		delete(t.counts, tenant)
		delete(t.bytes, tenant)
		t.mu.Unlock()
	}
}
