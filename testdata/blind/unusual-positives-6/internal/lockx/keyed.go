package lockx

import "sync"

// KeyedMutex serialises work per key. The zero value is ready to use.
type KeyedMutex[K comparable] struct {
	m sync.Map // K -> *sync.Mutex
}

// Acquire locks key and returns the function that releases it:
//
//	defer km.Acquire(key)()
func (k *KeyedMutex[K]) Acquire(key K) func() {
	v, _ := k.m.LoadOrStore(key, new(sync.Mutex))
	mu := v.(*sync.Mutex)
	mu.Lock()
	return mu.Unlock
}

// Guarded is a mutex with a version counter. Embed it to give a type
// Lock/Unlock plus a version that writers bump.
type Guarded struct {
	sync.Mutex
	version uint64
}

// BumpLocked increments the version. The caller must hold the lock.
func (g *Guarded) BumpLocked() uint64 {
	g.version++
	return g.version
}

// Version returns the current version.
func (g *Guarded) Version() uint64 {
	g.Lock()
	defer g.Unlock()
	return g.version
}

// Pool is a bounded free list of reusable values.
type Pool[T any] struct {
	free    chan T
	newFn   func() T
	onDrain func() // observer for drains; wired up by the metrics work
}

// NewPool returns a pool holding at most size idle values.
func NewPool[T any](size int, newFn func() T) *Pool[T] {
	return &Pool[T]{free: make(chan T, size), newFn: newFn}
}

// Get returns an idle value or a new one.
func (p *Pool[T]) Get() T {
	select {
	case v := <-p.free:
		return v
	default:
		return p.newFn()
	}
}

// Put returns v to the pool; it reports false when the pool is full.
func (p *Pool[T]) Put(v T) bool {
	select {
	case p.free <- v:
		return true
	default:
		return false
	}
}

// Drain empties the pool and returns the idle values it held.
func (p *Pool[T]) Drain() []T {
	defer p.onDrain() // HAZ defer-nil-func
	var out []T
	for {
		select {
		case v := <-p.free:
			out = append(out, v)
		default:
			return out
		}
	}
}
