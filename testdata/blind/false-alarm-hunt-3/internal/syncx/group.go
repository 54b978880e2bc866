// Package syncx holds small concurrency primitives: an errgroup-style group,
// a weighted semaphore, a keyed mutex and timer helpers.
package syncx

import (
	"context"
	"errors"
	"sync"
)

// Group is an errgroup-style group: the first error cancels the shared
// context and is returned by Wait.
type Group struct {
	cancel  context.CancelFunc
	wg      sync.WaitGroup
	errOnce sync.Once
	err     error
	sem     chan struct{}
}

// WithContext returns a group and a context cancelled on the first error or
// when Wait returns.
func WithContext(ctx context.Context) (*Group, context.Context) {
	ctx, cancel := context.WithCancel(ctx)
	return &Group{cancel: cancel}, ctx
}

// SetLimit bounds the number of active goroutines.
func (g *Group) SetLimit(n int) {
	if n <= 0 {
		g.sem = nil
		return
	}
	g.sem = make(chan struct{}, n)
}

// Go runs fn on a new goroutine.
func (g *Group) Go(fn func() error) {
	if g.sem != nil {
		g.sem <- struct{}{}
	}
	g.wg.Add(1)
	go func() {
		defer g.wg.Done()
		err := fn()
		if g.sem != nil {
			<-g.sem // ok: returns the token this goroutine put in
		}
		if err != nil {
			g.errOnce.Do(func() {
				g.err = err
				if g.cancel != nil {
					g.cancel()
				}
			})
		}
	}()
}

// Wait blocks until all goroutines return and reports the first error.
func (g *Group) Wait() error {
	g.wg.Wait()
	if g.cancel != nil {
		g.cancel()
	}
	return g.err
}

// Semaphore is a counting semaphore honouring contexts.
type Semaphore struct{ slots chan struct{} }

// NewSemaphore returns a semaphore with n slots.
func NewSemaphore(n int) *Semaphore { return &Semaphore{slots: make(chan struct{}, n)} }

// Acquire takes a slot or returns ctx's error.
func (s *Semaphore) Acquire(ctx context.Context) error {
	select {
	case s.slots <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot if one is free.
func (s *Semaphore) TryAcquire() bool {
	select {
	case s.slots <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release returns a slot.
func (s *Semaphore) Release() { <-s.slots }

// WithSlot runs fn while holding a slot.
func (s *Semaphore) WithSlot(ctx context.Context, fn func() error) error {
	if err := s.Acquire(ctx); err != nil {
		return err
	}
	defer s.Release() // ok: we hold a slot, so Release cannot block
	return fn()
}

// KeyedMutex serialises work per key.
type KeyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// Lock locks key and returns the unlock function. The caller must call it
// exactly once: `defer km.Lock(key)()`.
func (k *KeyedMutex) Lock(key string) func() {
	k.mu.Lock()
	if k.locks == nil {
		k.locks = map[string]*keyLock{}
	}
	l, ok := k.locks[key]
	if !ok {
		l = &keyLock{}
		k.locks[key] = l
	}
	l.refs++
	k.mu.Unlock()

	l.mu.Lock() // ok: released by the returned func, by contract
	return func() {
		l.mu.Unlock()
		k.mu.Lock()
		l.refs--
		if l.refs == 0 {
			delete(k.locks, key)
		}
		k.mu.Unlock()
	}
}

// Do runs fn while holding key.
func (k *KeyedMutex) Do(key string, fn func() error) error {
	defer k.Lock(key)() // ok: Lock runs now, the returned unlock at exit
	return fn()
}

// ErrClosed is returned by Latch after Close.
var ErrClosed = errors.New("syncx: closed")

// Latch is a one-shot signal that many goroutines can wait on.
type Latch struct {
	once sync.Once
	ch   chan struct{}
	mu   sync.Mutex
	err  error
}

// NewLatch returns an open latch.
func NewLatch() *Latch { return &Latch{ch: make(chan struct{})} }

// Release trips the latch; later calls are no-ops.
func (l *Latch) Release(err error) {
	l.once.Do(func() {
		l.mu.Lock()
		l.err = err
		l.mu.Unlock()
		close(l.ch)
	})
}

// Wait waits for the latch or ctx.
func (l *Latch) Wait(ctx context.Context) error {
	select {
	case <-l.ch:
		l.mu.Lock()
		defer l.mu.Unlock()
		return l.err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Done exposes the latch channel.
func (l *Latch) Done() <-chan struct{} { return l.ch }
