package sandbox

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// PoolStats is a point-in-time view of the pool.
type PoolStats struct {
	Idle       map[string]int `json:"idle"`
	Busy       map[string]int `json:"busy"`
	ColdStarts int64          `json:"cold_starts"`
	Evictions  int64          `json:"evictions"`
}

// Pool keeps warm sandboxes per function and hands them out under a
// per-function concurrency quota.
type Pool struct {
	mu        sync.Mutex
	slotFreed *sync.Cond
	idle      map[string][]Sandbox
	busy      map[string]int
	quota     map[string]int
	defQuota  int
	maxIdle   int
	closed    bool
	evictions int64
	cold      *ColdStarter
}

// NewPool returns a pool that cold-starts sandboxes through cold.
func NewPool(cold *ColdStarter, defaultQuota, maxIdle int) *Pool {
	if defaultQuota <= 0 {
		defaultQuota = 1
	}
	if maxIdle < 0 {
		maxIdle = 0
	}
	p := &Pool{
		idle:     make(map[string][]Sandbox),
		busy:     make(map[string]int),
		quota:    make(map[string]int),
		defQuota: defaultQuota,
		maxIdle:  maxIdle,
		cold:     cold,
	}
	p.slotFreed = sync.NewCond(&p.mu)
	return p
}

// SetQuota sets fn's concurrency limit; n <= 0 restores the default.
func (p *Pool) SetQuota(fn string, n int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if n <= 0 {
		delete(p.quota, fn)
	} else {
		p.quota[fn] = n
	}
	p.slotFreed.Broadcast()
}

// quotaFor returns fn's concurrency limit. The caller holds p.mu.
func (p *Pool) quotaFor(fn string) int {
	if q, ok := p.quota[fn]; ok {
		return q
	}
	return p.defQuota
}

// popIdleLocked takes a live idle sandbox for fn, dropping dead ones on
// the way. The caller holds p.mu.
func (p *Pool) popIdleLocked(fn string) Sandbox {
	list := p.idle[fn]
	for len(list) > 0 {
		sb := list[len(list)-1]
		list = list[:len(list)-1]
		if sb.Alive() {
			p.idle[fn] = list
			return sb
		}
		p.evictions++
	}
	delete(p.idle, fn)
	return nil
}

// Acquire leases a sandbox for fn, waiting while fn is at its quota and
// cold-starting a sandbox when none is idle.
func (p *Pool) Acquire(ctx context.Context, fn string) (*Lease, error) {
	stop := context.AfterFunc(ctx, func() {
		p.mu.Lock()
		p.slotFreed.Broadcast()
		p.mu.Unlock()
	})
	defer stop()

	p.mu.Lock()
	for !p.closed && ctx.Err() == nil && p.busy[fn] >= p.quotaFor(fn) {
		p.slotFreed.Wait()
	}
	if p.closed {
		p.mu.Unlock()
		return nil, ErrPoolClosed
	}
	if err := ctx.Err(); err != nil {
		p.mu.Unlock()
		return nil, err
	}
	p.busy[fn]++
	sb := p.popIdleLocked(fn)
	p.mu.Unlock()

	if sb == nil {
		var err error
		sb, err = p.cold.Start(ctx, fn)
		if err != nil {
			p.mu.Lock()
			p.busy[fn]--
			p.slotFreed.Signal()
			p.mu.Unlock()
			return nil, err
		}
	}
	return newLease(p, fn, sb), nil
}

// release returns a leased sandbox. Unhealthy or surplus sandboxes are
// killed outside the lock.
func (p *Pool) release(l *Lease, healthy bool) {
	p.mu.Lock()
	p.busy[l.fn]--
	if p.busy[l.fn] <= 0 {
		delete(p.busy, l.fn)
	}
	keep := healthy && !p.closed && l.sb.Alive() && len(p.idle[l.fn]) < p.maxIdle
	if keep {
		p.idle[l.fn] = append(p.idle[l.fn], l.sb)
	}
	p.slotFreed.Broadcast()
	p.mu.Unlock()

	if !keep {
		l.sb.Kill()
	}
}

// TryReserve claims one concurrency slot for fn without waiting. The
// timer trigger uses it for invocations that must not queue.
func (p *Pool) TryReserve(fn string) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return ErrPoolClosed
	}
	limit := p.quotaFor(fn)
	if p.busy[fn] >= limit {
		p.mu.Unlock()
		return fmt.Errorf("%w: %s at %d", ErrQuotaExceeded, fn, limit)
	}
	p.busy[fn]++
	p.mu.Unlock()
	return nil
}

// Unreserve gives back a slot taken with TryReserve.
func (p *Pool) Unreserve(fn string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.busy[fn] > 0 {
		p.busy[fn]--
	}
	p.slotFreed.Signal()
}

// addIdle parks sb as idle for fn if there is room.
func (p *Pool) addIdle(fn string, sb Sandbox) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle[fn]) >= p.maxIdle {
		return false
	}
	p.idle[fn] = append(p.idle[fn], sb)
	return true
}

// Prewarm starts n sandboxes for fn ahead of expected traffic and parks
// them idle.
func (p *Pool) Prewarm(ctx context.Context, fn string, n int) error {
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			sb, err := p.cold.Start(ctx, fn)
			if err != nil {
				errs <- fmt.Errorf("prewarm %s #%d: %w", fn, i, err)
				return
			}
			if !p.addIdle(fn, sb) {
				sb.Kill()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Evict kills up to n idle sandboxes of fn and returns how many went.
func (p *Pool) Evict(fn string, n int) int {
	p.mu.Lock()
	list := p.idle[fn]
	if n > len(list) {
		n = len(list)
	}
	victims := append([]Sandbox(nil), list[:n]...)
	p.idle[fn] = list[n:]
	p.evictions += int64(n)
	p.mu.Unlock()

	for _, sb := range victims {
		if err := killGuarded(sb); err != nil {
			log.Printf("sandbox: evict %s: %v", fn, err)
		}
	}
	return len(victims)
}

// Resize changes fn's quota and trims idle sandboxes above the new limit.
func (p *Pool) Resize(fn string, quota int) int {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.quota[fn] = quota
	p.slotFreed.Broadcast()
	if extra := len(p.idle[fn]) - quota; extra > 0 {
		return p.Evict(fn, extra) // HAZ lock-reentry-under-defer
	}
	return 0
}

// trimLocked cuts fn's idle list down to keep entries and returns the
// rest. The caller holds p.mu.
func (p *Pool) trimLocked(fn string, keep int) []Sandbox {
	if keep < 0 {
		keep = 0
	}
	list := p.idle[fn]
	if len(list) <= keep {
		return nil
	}
	victims := list[keep:]
	p.idle[fn] = list[:keep:keep]
	p.evictions += int64(len(victims))
	return victims
}

// SetQuotas applies a batch of quota changes from the control plane.
func (p *Pool) SetQuotas(q map[string]int) (evicted int) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for fn, n := range q {
		p.quota[fn] = n
		for _, sb := range p.trimLocked(fn, n) {
			sb.Kill()
			evicted++
		}
	}
	p.slotFreed.Broadcast()
	return evicted
}

// Stats returns a copy of the pool's counters.
func (p *Pool) Stats() PoolStats {
	p.mu.Lock()
	defer p.mu.Unlock()
	st := PoolStats{
		Idle:      make(map[string]int, len(p.idle)),
		Busy:      make(map[string]int, len(p.busy)),
		Evictions: p.evictions,
	}
	for fn, list := range p.idle {
		st.Idle[fn] = len(list)
	}
	for fn, n := range p.busy {
		st.Busy[fn] = n
	}
	if p.cold != nil {
		st.ColdStarts = p.cold.Count()
	}
	return st
}

// Close stops handing out sandboxes and kills every idle one. Leased
// sandboxes are killed when they are released.
func (p *Pool) Close() {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return
	}
	p.closed = true
	idle := p.idle
	p.idle = make(map[string][]Sandbox)
	p.slotFreed.Broadcast()
	p.mu.Unlock()

	for _, list := range idle {
		for _, sb := range list {
			sb.Kill()
		}
	}
}

// AcquireAndTopUp leases a sandbox and makes sure another one is warm
// for the next request once this call is done.
func (p *Pool) AcquireAndTopUp(ctx context.Context, fn string) (*Lease, error) {
	defer p.Prewarm(ctx, fn, 1) // HAZ defer-blocking-call
	return p.Acquire(ctx, fn)
}
