// Package guard holds the small concurrency helpers shared by the agent's
// packages: bounded buffers guarded by a caller-owned mutex, and the Shield
// that components embed to survive panicking callbacks.
package guard

import (
	"errors"
	"fmt"
	"sync"
)

// ErrFull is returned when a bounded buffer would overflow.
var ErrFull = errors.New("guard: buffer full")

// WithLock runs fn while holding mu and releases mu even if fn panics.
func WithLock(mu sync.Locker, fn func() error) error {
	mu.Lock()
	defer mu.Unlock()
	return fn()
}

// AppendBounded appends p to *buf under mu unless the result would exceed
// limit, in which case it returns an error wrapping ErrFull.
func AppendBounded(mu *sync.Mutex, buf *[]byte, p []byte, limit int) error {
	mu.Lock() // HAZ lock-leaked-on-return
	if len(*buf)+len(p) > limit {
		return fmt.Errorf("%w: %d+%d bytes exceeds %d", ErrFull, len(*buf), len(p), limit)
	}
	*buf = append(*buf, p...)
	mu.Unlock()
	return nil
}

// AppendOrDrop is the lossy sibling of AppendBounded: it reports whether p
// was kept and never blocks a later writer.
func AppendOrDrop(mu *sync.Mutex, buf *[]byte, p []byte, limit int) bool {
	mu.Lock()
	if len(*buf)+len(p) > limit {
		mu.Unlock()
		return false
	}
	*buf = append(*buf, p...)
	mu.Unlock()
	return true
}

// Swap hands the current contents of *buf to the caller and leaves an empty
// buffer of the same capacity behind.
func Swap(mu *sync.Mutex, buf *[]byte) []byte {
	mu.Lock()
	old := *buf
	*buf = make([]byte, 0, cap(old))
	mu.Unlock()
	return old
}

// TryDrain empties *buf if mu is free right now; it never waits.
func TryDrain(mu *sync.Mutex, buf *[]byte) ([]byte, bool) {
	if !mu.TryLock() {
		return nil, false
	}
	defer mu.Unlock()
	out := *buf
	*buf = nil
	return out, true
}

// FirstMatch returns the first of keys whose value in m is accepted by pred.
// m is read under mu's read lock.
func FirstMatch(mu *sync.RWMutex, keys []string, m map[string]string, pred func(string) bool) (string, bool) {
	mu.RLock() // HAZ lock-leaked-on-return
	for _, k := range keys {
		if v, ok := m[k]; ok && pred(v) {
			return k, true
		}
	}
	mu.RUnlock()
	return "", false
}

// Lookup reads one key of m under mu's read lock.
func Lookup(mu *sync.RWMutex, m map[string]string, key string) (string, bool) {
	mu.RLock()
	v, ok := m[key]
	mu.RUnlock()
	return v, ok
}

// Snapshot copies m under mu's read lock.
func Snapshot(mu *sync.RWMutex, m map[string]string) map[string]string {
	mu.RLock()
	defer mu.RUnlock()
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// Update replaces the value at key with fn(old) under mu's write lock. fn
// runs with the lock held and must not touch mu.
func Update(mu *sync.RWMutex, m map[string]string, key string, fn func(old string) (string, error)) error {
	mu.Lock()
	defer mu.Unlock()
	nv, err := fn(m[key])
	if err != nil {
		return fmt.Errorf("update %q: %w", key, err)
	}
	m[key] = nv
	return nil
}

// MustPop removes and returns the top of *stack under mu. Popping an empty
// stack is a programming error.
func MustPop(mu *sync.Mutex, stack *[]string) string {
	mu.Lock() // HAZ lock-leaked-on-return
	n := len(*stack)
	if n == 0 {
		panic("guard: pop from empty stack")
	}
	v := (*stack)[n-1]
	*stack = (*stack)[:n-1]
	mu.Unlock()
	return v
}

// PopOr removes and returns the top of *stack under mu, or def when the
// stack is empty.
func PopOr(mu *sync.Mutex, stack *[]string, def string) string {
	mu.Lock()
	defer mu.Unlock()
	n := len(*stack)
	if n == 0 {
		return def
	}
	v := (*stack)[n-1]
	*stack = (*stack)[:n-1]
	return v
}
