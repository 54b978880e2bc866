// Locks that are released on every path, or returned held on purpose: no findings.
package fixture

import (
	"errors"
	"log"
	"os"
	"sync"
)

type Store struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	data map[string]string
}

// The idiom: unlock deferred right after the lock.
func (s *Store) Get(k string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.data[k]
}

// Unlocked on the early return and at the end.
func (s *Store) Put(k, v string) error {
	s.mu.Lock()
	if k == "" {
		s.mu.Unlock()
		return errors.New("empty key")
	}
	s.data[k] = v
	s.mu.Unlock()
	return nil
}

// Unlock in a deferred closure.
func (s *Store) Len() int {
	s.rw.RLock()
	defer func() {
		s.rw.RUnlock()
	}()
	return len(s.data)
}

// An acquire helper: returns with the lock held on purpose (it never unlocks).
func (s *Store) acquire() {
	s.mu.Lock()
}

// Named like a lock helper: returns holding the lock when it reports true.
func (s *Store) lockIfPresent(k string) bool {
	s.mu.Lock()
	if _, ok := s.data[k]; !ok {
		s.mu.Unlock()
		return false
	}
	return true
}

// Documented: the caller must unlock.
// getLocked returns the value with s.mu held; the caller must unlock it.
func (s *Store) getHeld(k string) string {
	s.mu.Lock()
	if k == "" {
		s.mu.Unlock()
		return ""
	}
	return s.data[k]
}

// The unlock is handed out as a function to call later.
func (s *Store) Hold() func() {
	s.mu.Lock()
	return func() { s.mu.Unlock() }
}

// A same-package helper does the unlock.
func (s *Store) Delete(k string) {
	s.mu.Lock()
	if k == "" {
		s.unlockAndLog("empty")
		return
	}
	delete(s.data, k)
	s.mu.Unlock()
}

func (s *Store) unlockAndLog(msg string) {
	s.mu.Unlock()
	_ = msg
}

// The mutex is passed to another function that releases it.
func release(mu *sync.Mutex) { mu.Unlock() }

func withRelease(mu *sync.Mutex, ok bool) int {
	mu.Lock()
	if !ok {
		release(mu)
		return 0
	}
	mu.Unlock()
	return 1
}

// Lock and unlock under the same condition.
func conditional(mu *sync.Mutex, lock bool, n *int) {
	if lock {
		mu.Lock()
	}
	*n++
	if lock {
		mu.Unlock()
	}
}

// Unlock in every iteration, continue included.
func each(mu *sync.Mutex, xs []int) (n int) {
	for _, x := range xs {
		mu.Lock()
		if x < 0 {
			mu.Unlock()
			continue
		}
		n += x
		mu.Unlock()
	}
	return n
}

// Unlock and relock around slow work, with the final unlock deferred.
func (s *Store) Refresh(load func() map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.mu.Unlock()
	d := load()
	s.mu.Lock()
	s.data = d
}

// A user type with Lock and Unlock methods that are not a sync mutex.
type token struct{ held bool }

func (t *token) Lock()   { t.held = true }
func (t *token) Unlock() { t.held = false }

func useToken(t *token, ok bool) bool {
	t.Lock()
	if !ok {
		return false
	}
	t.Unlock()
	return true
}

// Re-acquires a lock the caller holds (like sync.Cond.Wait): released first, locked again at the end.
func (s *Store) waitUnlocked(ch chan struct{}) {
	s.mu.Unlock()
	<-ch
	s.mu.Lock()
}

// Keeps the read lock on success and gives the caller the method that releases it.
func (s *Store) grab() (map[string]string, func()) {
	s.rw.RLock()
	if s.data == nil {
		s.rw.RUnlock()
		return nil, nil
	}
	return s.data, s.releaseRead
}

func (s *Store) releaseRead() { s.rw.RUnlock() }

// The lock is handed to a goroutine that releases it when its work is done (grpc's
// addrConn.updateAddrs → go ac.resetTransportAndUnlock()).
func (s *Store) Reload(k string) {
	s.mu.Lock()
	if s.data[k] == "" {
		s.mu.Unlock()
		return
	}
	s.data[k] = "stale"
	go s.refreshAndUnlock(k)
}

func (s *Store) refreshAndUnlock(k string) {
	s.data[k] = "fresh"
	s.mu.Unlock()
}

// The other paths end the program: nothing is left behind to deadlock.
func mustGetOrExit(mu *sync.Mutex, m map[string]int, k string) int {
	mu.Lock()
	v, ok := m[k]
	if !ok {
		log.Fatalf("missing %s", k)
	}
	if v < 0 {
		os.Exit(2)
	}
	mu.Unlock()
	return v
}

// An embedded RWMutex released through its explicit field name on one path and through the
// promoted method on the other: the same mutex either way.
type Conf struct {
	sync.RWMutex
	m map[string]string
}

func (c *Conf) Lookup(k string) (string, error) {
	c.RLock()
	v, ok := c.m[k]
	if !ok {
		c.RWMutex.RUnlock()
		return "", errors.New("missing")
	}
	c.RUnlock()
	return v, nil
}

// A deferred unlock registered before the lock still releases it at exit.
func (s *Store) DeferFirst(k string) int {
	defer s.mu.Unlock()
	s.mu.Lock()
	if s.data == nil {
		return 0
	}
	return len(k)
}
