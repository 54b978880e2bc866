package fixture

import "sync"

// notice is a one-shot signal: wait is held while fired is false.
type notice struct {
	mu    sync.Mutex
	wait  sync.Mutex
	fired bool
}

func newNotice() *notice {
	n := &notice{}
	n.wait.Lock()
	return n
}

// fire releases whoever waits; it never takes wait itself.
func (n *notice) fire() {
	n.mu.Lock()
	if !n.fired {
		n.fired = true
		n.wait.Unlock()
	}
	n.mu.Unlock()
}

// arm takes the signal back after it fired, and waits for the next one only when asked: the
// paths that return with wait held leave it for fire. No finding.
func (n *notice) arm(register func() bool) bool {
	if n.fired {
		n.wait.Lock()
	}
	n.fired = false
	if !register() {
		return false
	}
	n.mu.Lock()
	fired := n.fired
	n.mu.Unlock()
	if !fired {
		n.wait.Lock()
		n.wait.Unlock()
	}
	return true
}

// table guards its rows with mu, taken and released in each method.
type table struct {
	mu   sync.Mutex
	rows map[string]int
}

func (t *table) get(k string) int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.rows[k]
}

// put forgets the unlock on the error path.
func (t *table) put(k string, v int) bool {
	t.mu.Lock() // want `t\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	if v < 0 {
		return false
	}
	t.rows[k] = v
	t.mu.Unlock()
	return true
}

// stock has lock helpers: they split an ordinary critical section and make mu no signal.
type stock struct {
	mu    sync.Mutex
	items map[string]int
}

func (s *stock) lock()   { s.mu.Lock() }
func (s *stock) unlock() { s.mu.Unlock() }

func (s *stock) count(k string) int {
	s.lock()
	defer s.unlock()
	return s.items[k]
}

// reserve forgets the unlock when the item is unknown.
func (s *stock) reserve(k string, n int) bool {
	s.mu.Lock() // want `s\.mu\.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	have, ok := s.items[k]
	if !ok {
		return false
	}
	s.items[k] = have - n
	s.mu.Unlock()
	return true
}
