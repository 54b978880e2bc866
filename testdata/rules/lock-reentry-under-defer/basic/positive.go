// A mutex held until return is locked again: each marked call deadlocks.
package fixture

import "sync"

type Store struct {
	mu   sync.Mutex
	rw   sync.RWMutex
	data map[string]int
	hits int
}

// A method that locks, called while the lock is held.
func (s *Store) Update(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.data[k] = v
	s.bump() // want `^s\.mu is locked on line 15 and held until Store\.Update returns \(deferred unlock on line 16\), but s\.bump\(\) on line 18 locks it again \(Store\.Update → Store\.bump → s\.mu\.Lock\(\) on line 22\)`
}

func (s *Store) bump() {
	s.mu.Lock()
	s.hits++
	s.mu.Unlock()
}

// Two levels down, with a different receiver name.
func (s *Store) Reset() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.clear() // want `Store\.Reset → Store\.clear → Store\.helper → Store\.bumpX → x\.mu\.Lock\(\) on line 42`
}

func (st *Store) clear() {
	st.data = map[string]int{}
	st.helper()
}

func (x *Store) helper() { x.bumpX() }

func (x *Store) bumpX() {
	x.mu.Lock()
	x.hits = 0
	x.mu.Unlock()
}

// Recursive read lock.
func (s *Store) Get(k string) int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return s.data[k] + s.count() // want `^s\.rw is locked on line 49 and held until Store\.Get returns .* a recursive read lock deadlocks as soon as another goroutine calls Lock between the two RLocks`
}

func (s *Store) count() int {
	s.rw.RLock()
	defer s.rw.RUnlock()
	return len(s.data)
}

// A direct second lock in the same function.
func (s *Store) Double() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits++
	s.mu.Lock() // want `^s\.mu is locked on line 62 and held until Store\.Double returns .*, but line 65 locks s\.mu again: sync mutexes are not reentrant`
}

// A package-level mutex through a plain function.
var mu sync.Mutex
var total int

func Add(n int) {
	mu.Lock()
	defer mu.Unlock()
	total += n
	logTotal() // want `^mu is locked on line 73 .*Add → logTotal → mu\.Lock\(\)`
}

func logTotal() {
	mu.Lock()
	defer mu.Unlock()
	_ = total
}

// The mutex passed by pointer to a helper that locks it.
func Transfer(m *sync.Mutex, n *int) {
	m.Lock()
	defer m.Unlock()
	inc(m, n) // want `^m is locked on line 87 .*Transfer → inc → mu\.Lock\(\)`
}

func inc(mu *sync.Mutex, n *int) {
	mu.Lock()
	*n++
	mu.Unlock()
}

// Write lock held, read lock requested.
func (s *Store) Rebuild() {
	s.rw.Lock()
	defer s.rw.Unlock()
	s.data = map[string]int{"n": s.count()} // want `^s\.rw is locked on line 100 .*Store\.Rebuild → Store\.count → s\.rw\.RLock\(\).*not reentrant`
}

// A deferred call registered after the deferred unlock runs first, with the lock held.
func (s *Store) Close() {
	s.mu.Lock()
	defer s.mu.Unlock()
	defer s.bump() // want `the deferred s\.bump\(\) \(registered after the unlock, so it runs first\) locks it again`
	s.data = nil
}

// An embedded mutex through promoted methods.
type Counter struct {
	sync.Mutex
	n int
}

func (c *Counter) Inc() {
	c.Lock()
	defer c.Unlock()
	c.n++
	c.log() // want `Counter\.Inc → Counter\.log → c\.Lock\(\)`
}

func (c *Counter) log() {
	c.Lock()
	_ = c.n
	c.Unlock()
}

// A function literal called in place.
func (s *Store) Inline() {
	s.mu.Lock()
	defer s.mu.Unlock()
	func() { // want `Store\.Inline → the function literal on line 136 → s\.mu\.Lock\(\)`
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
	}()
}

// A function literal held by a local variable and called through it.
func (s *Store) ViaVariable() {
	s.mu.Lock()
	defer s.mu.Unlock()
	bump := func() {
		s.mu.Lock()
		s.hits++
		s.mu.Unlock()
	}
	bump() // want `Store\.ViaVariable → bump \(the function literal on line 147\) → s\.mu\.Lock\(\)`
}

// A value receiver copies the struct, but not the mutex its pointer field points to.
type Shared struct {
	mu *sync.Mutex
	n  int
}

func (s Shared) Get() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n
}

func (s Shared) Twice() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.Get() * 2 // want `Shared\.Twice → Shared\.Get → s\.mu\.Lock\(\) on line 162`
}

// An embedded mutex locked through promotion and again through its field name.
type Conf struct {
	sync.RWMutex
	m map[string]string
}

func (c *Conf) snapshot() int {
	c.RWMutex.Lock()
	defer c.RWMutex.Unlock()
	return len(c.m)
}

func (c *Conf) Size() int {
	c.Lock()
	defer c.Unlock()
	return c.snapshot() // want `c is locked on line \d+ and held until Conf.Size returns.*Conf.Size → Conf.snapshot → c.RWMutex.Lock\(\)`
}

func (c *Conf) Inline() int {
	c.Lock()
	defer c.Unlock()
	c.RWMutex.Lock() // want `line \d+ locks c again`
	return len(c.m)
}
