package fixture

import "sync"

type samples struct {
	mu   sync.Mutex
	data map[string][]int
}

func (s *samples) lock() *sync.Mutex { return &s.mu }

// Locked and unlocked through the accessor: the early return leaves s.mu held.
func (s *samples) first(name string) (int, bool) {
	s.lock().Lock() // want `s\.lock\(\)\.Lock\(\) on line \d+ is not released on the path to the return on line \d+: samples\.first returns with s\.mu still held`
	v := s.data[name]
	if len(v) == 0 {
		return 0, false
	}
	s.lock().Unlock()
	return v[0], true
}

// The same accessor through a local variable, released on every path.
func (s *samples) count(name string) int {
	mu := s.lock()
	mu.Lock()
	n := len(s.data[name])
	if n == 0 {
		mu.Unlock()
		return 0
	}
	s.lock().Unlock()
	return n
}
