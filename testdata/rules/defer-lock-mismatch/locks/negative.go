package locks

import "sync"

type store struct {
	mu sync.Mutex
	rw sync.RWMutex
	m  map[string]int
}

// The standard pairs.
func (s *store) a() {
	s.mu.Lock()
	defer s.mu.Unlock()
}

func (s *store) b() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return len(s.m)
}

func (s *store) c() {
	s.rw.Lock()
	defer s.rw.Unlock()
}

// Release now, take again at exit: the caller holds the lock (the relock idiom).
func (s *store) slowWithoutLock() {
	s.mu.Unlock()
	defer s.mu.Lock()
	work()
}

// Another mutex.
func (s *store) twoMutexes() {
	s.mu.Lock()
	defer s.rw.RUnlock()
}

// The lock and the defer are in different branches: nothing is known to be held.
func (s *store) branches(write bool) {
	if write {
		s.rw.Lock()
	} else {
		s.rw.RLock()
	}
	defer s.rw.Unlock()
}

// Upgrade: the read lock is released and a write lock taken after the defer.
func (s *store) upgrade() {
	s.rw.RLock()
	defer s.rw.Unlock()
	s.rw.RUnlock()
	s.rw.Lock()
}

// Not a sync mutex: a type with its own Lock method.
type fileLock struct{}

func (fileLock) Lock()   {}
func (fileLock) RLock()  {}
func (fileLock) Unlock() {}

func custom(f fileLock) {
	f.RLock()
	defer f.Unlock()
}

// A defer in a function literal is another function: the lock outside does not count.
func (s *store) literal() {
	s.mu.Lock()
	func() {
		defer s.mu.Lock()
	}()
	s.mu.Unlock()
}

// Different receivers of the same type.
func pair(a, b *store) {
	a.mu.Lock()
	defer b.mu.Lock()
	a.mu.Unlock()
}

// TryLock is not a lock that is known to be held.
func (s *store) try() {
	if s.mu.TryLock() {
		defer s.mu.Unlock()
	}
}

// Unlock then relock inside a loop iteration.
func (s *store) loop(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := 0; i < n; i++ {
		s.mu.Unlock()
		work()
		s.mu.Lock()
	}
}

func work() {}

type shardSet struct {
	parts [8]sync.Mutex
	data  [8]map[string]int
}

// Different indexes, and the right pairing on one index.
func (s *shardSet) get(i, j int, k string) int {
	s.parts[i].Lock()
	defer s.parts[i].Unlock()
	return s.data[j][k]
}
