package pool

import (
	"bytes"
	"context"
	"sync"
)

var bufPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// GetBuffer returns an empty buffer from the shared pool.
func GetBuffer() *bytes.Buffer {
	b := bufPool.Get().(*bytes.Buffer)
	b.Reset()
	return b
}

// PutBuffer returns b to the shared pool unless it grew too large.
func PutBuffer(b *bytes.Buffer) {
	if b.Cap() > 1<<20 {
		return
	}
	bufPool.Put(b)
}

// Render formats with a pooled buffer.
func Render(parts ...string) string {
	b := GetBuffer()
	defer PutBuffer(b) // ok: b is not reassigned
	for _, p := range parts {
		b.WriteString(p)
	}
	return b.String()
}

// Semaphore bounds concurrency.
type Semaphore struct{ ch chan struct{} }

// NewSemaphore returns a semaphore with n slots.
func NewSemaphore(n int) *Semaphore { return &Semaphore{ch: make(chan struct{}, n)} }

// Acquire takes a slot or fails when ctx ends.
func (s *Semaphore) Acquire(ctx context.Context) error {
	select {
	case s.ch <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// TryAcquire takes a slot without waiting.
func (s *Semaphore) TryAcquire() bool {
	select {
	case s.ch <- struct{}{}:
		return true
	default:
		return false
	}
}

// Release frees a slot taken by Acquire.
func (s *Semaphore) Release() {
	select {
	case <-s.ch:
	default:
		panic("pool: semaphore released more than acquired")
	}
}

// Do runs fn holding one slot.
func (s *Semaphore) Do(ctx context.Context, fn func() error) error {
	if err := s.Acquire(ctx); err != nil {
		return err
	}
	defer s.Release() // ok: Release never blocks
	return fn()
}

// KeyedMutex serializes work per key.
type KeyedMutex struct {
	mu    sync.Mutex
	locks map[string]*keyLock
}

type keyLock struct {
	mu   sync.Mutex
	refs int
}

// Lock acquires the lock for key; the caller must call Unlock(key).
func (k *KeyedMutex) Lock(key string) {
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
	l.mu.Lock() // ok: held on purpose, released by Unlock(key)
}

// Unlock releases the lock for key.
func (k *KeyedMutex) Unlock(key string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	l := k.locks[key]
	l.refs--
	if l.refs == 0 {
		delete(k.locks, key)
	}
	l.mu.Unlock()
}

// WithKey runs fn under the lock for key.
func (k *KeyedMutex) WithKey(key string, fn func()) {
	k.Lock(key)
	defer k.Unlock(key)
	fn()
}

// Guarded is a value protected by a mutex exposed through Lock/Unlock methods.
type Guarded[T any] struct {
	mu sync.Mutex
	v  T
}

// Lock locks the value and returns a pointer valid until Unlock.
func (g *Guarded[T]) Lock() *T {
	g.mu.Lock() // ok: a lock accessor; Unlock is the partner method
	return &g.v
}

// Unlock releases the value.
func (g *Guarded[T]) Unlock() { g.mu.Unlock() }

// Update applies fn under the lock.
func (g *Guarded[T]) Update(fn func(*T)) {
	v := g.Lock()
	defer g.Unlock()
	fn(v)
}
