package pool

import (
	"context"
	"errors"
	"io"
	"sync"
	"time"
)

// ErrClosed is returned by a closed ResourcePool.
var ErrClosed = errors.New("pool: closed")

// Factory opens a new resource.
type Factory func(ctx context.Context) (io.Closer, error)

// Hooks are optional callbacks; nil fields are skipped.
type Hooks struct {
	OnCreate  func(io.Closer)
	OnDestroy func(io.Closer, error)
	OnAcquire func(wait time.Duration)
}

type idleRes struct {
	r       io.Closer
	created time.Time
}

// ResourcePool limits the number of open resources and keeps idle ones for
// reuse.
type ResourcePool struct {
	mu      sync.Mutex
	factory Factory
	hooks   Hooks
	idle    []idleRes
	sem     chan struct{}
	maxIdle int
	maxAge  time.Duration
	closed  bool
	now     func() time.Time
}

// Config holds ResourcePool limits.
type Config struct {
	MaxOpen int
	MaxIdle int
	MaxAge  time.Duration
	Hooks   Hooks
}

// NewResourcePool returns a pool creating resources with f.
func NewResourcePool(f Factory, cfg Config) *ResourcePool {
	if cfg.MaxOpen <= 0 {
		cfg.MaxOpen = 4
	}
	if cfg.MaxIdle <= 0 || cfg.MaxIdle > cfg.MaxOpen {
		cfg.MaxIdle = cfg.MaxOpen
	}
	return &ResourcePool{
		factory: f,
		hooks:   cfg.Hooks,
		sem:     make(chan struct{}, cfg.MaxOpen),
		maxIdle: cfg.MaxIdle,
		maxAge:  cfg.MaxAge,
		now:     time.Now,
	}
}

// Lease is a resource on loan from a pool.
type Lease struct {
	p    *ResourcePool
	r    io.Closer
	born time.Time
	once sync.Once
	bad  bool
}

// Resource returns the leased resource.
func (l *Lease) Resource() io.Closer { return l.r }

// MarkBad tells the pool to destroy the resource on release.
func (l *Lease) MarkBad() { l.bad = true }

// Release returns the resource to its pool. Calling it twice is harmless.
func (l *Lease) Release() {
	l.once.Do(func() { l.p.put(l.r, l.born, l.bad) })
}

// Acquire waits for a free slot and returns a lease on an idle or new
// resource.
func (p *ResourcePool) Acquire(ctx context.Context) (*Lease, error) {
	start := p.now()
	select {
	case p.sem <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if p.hooks.OnAcquire != nil {
		p.hooks.OnAcquire(p.now().Sub(start))
	}
	if it, ok := p.popIdle(); ok {
		return &Lease{p: p, r: it.r, born: it.created}, nil
	}
	if p.isClosed() {
		p.releaseSlot()
		return nil, ErrClosed
	}
	r, err := p.factory(ctx)
	if err != nil {
		p.releaseSlot()
		return nil, err
	}
	if p.hooks.OnCreate != nil {
		p.hooks.OnCreate(r)
	}
	return &Lease{p: p, r: r, born: p.now()}, nil
}

// popIdle takes the newest idle resource that is not too old.
func (p *ResourcePool) popIdle() (idleRes, bool) {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.closed {
		return idleRes{}, false
	}
	var stale []idleRes
	for len(p.idle) > 0 {
		it := p.idle[len(p.idle)-1]
		p.idle = p.idle[:len(p.idle)-1]
		if p.maxAge > 0 && p.now().Sub(it.created) > p.maxAge {
			stale = append(stale, it)
			continue
		}
		p.mu.Unlock()
		p.destroyAll(stale)
		return it, true
	}
	p.mu.Unlock()
	p.destroyAll(stale)
	return idleRes{}, false
}

func (p *ResourcePool) isClosed() bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.closed
}

// releaseSlot frees one slot of the semaphore without ever blocking.
func (p *ResourcePool) releaseSlot() {
	select {
	case <-p.sem:
	default:
	}
}

func (p *ResourcePool) put(r io.Closer, born time.Time, bad bool) {
	defer p.releaseSlot()
	if bad || (p.maxAge > 0 && p.now().Sub(born) > p.maxAge) {
		p.destroy(r)
		return
	}
	if !p.tryIdle(r, born) {
		p.destroy(r)
	}
}

func (p *ResourcePool) tryIdle(r io.Closer, born time.Time) bool {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.closed || len(p.idle) >= p.maxIdle {
		return false
	}
	p.idle = append(p.idle, idleRes{r: r, created: born})
	return true
}

func (p *ResourcePool) destroy(r io.Closer) {
	err := r.Close()
	if p.hooks.OnDestroy != nil {
		p.hooks.OnDestroy(r, err)
	}
}

func (p *ResourcePool) destroyAll(items []idleRes) {
	for _, it := range items {
		p.destroy(it.r)
	}
}

// With runs fn with a leased resource and releases it afterwards. If fn
// fails the resource is destroyed rather than reused.
func (p *ResourcePool) With(ctx context.Context, fn func(io.Closer) error) error {
	l, err := p.Acquire(ctx)
	if err != nil {
		return err
	}
	defer l.Release()
	if err := fn(l.r); err != nil {
		l.MarkBad()
		return err
	}
	return nil
}

// Warm opens n resources concurrently and parks them as idle.
func (p *ResourcePool) Warm(ctx context.Context, n int) error {
	res := make([]io.Closer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	var i int
	for i = 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			res[i], errs[i] = p.factory(ctx)
		}()
	}
	wg.Wait()
	now := p.now()
	for j, r := range res {
		if errs[j] == nil && r != nil && !p.tryIdle(r, now) {
			p.destroy(r)
		}
	}
	return errors.Join(errs...)
}

// Prefill is Warm without the shared index: every goroutine gets its own
// slot through the Go 1.22 per-iteration loop variable.
func (p *ResourcePool) Prefill(ctx context.Context, n int) error {
	res := make([]io.Closer, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			res[i], errs[i] = p.factory(ctx)
		}()
	}
	wg.Wait()
	now := p.now()
	for j, r := range res {
		if errs[j] == nil && r != nil && !p.tryIdle(r, now) {
			p.destroy(r)
		}
	}
	return errors.Join(errs...)
}

// Close destroys idle resources and rejects new acquisitions. Leased
// resources are destroyed when released.
func (p *ResourcePool) Close() error {
	p.mu.Lock()
	if p.closed {
		p.mu.Unlock()
		return ErrClosed
	}
	p.closed = true
	idle := p.idle
	p.idle = nil
	p.mu.Unlock()

	var errs []error
	for _, it := range idle {
		errs = append(errs, it.r.Close())
	}
	return errors.Join(errs...)
}

// IdleCount returns the number of idle resources.
func (p *ResourcePool) IdleCount() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.idle)
}

// InUse returns the number of leased resources.
func (p *ResourcePool) InUse() int {
	return len(p.sem)
}
