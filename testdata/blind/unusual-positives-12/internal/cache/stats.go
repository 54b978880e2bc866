package cache

import "fmt"

// Stats is a point-in-time summary of the store.
type Stats struct {
	Items   int
	Evicted int
	Hits    int
}

// Len returns the number of stored entries.
func (s *Store) Len() int {
	s.Lock()
	defer s.Unlock()
	return len(s.items)
}

// Stats summarises the store without calling back into locking methods.
func (s *Store) Stats() Stats {
	s.Lock()
	defer s.Unlock()
	st := Stats{Items: len(s.items), Evicted: s.evicted}
	for _, e := range s.items {
		st.Hits += e.hits
	}
	return st
}

// String implements fmt.Stringer; it takes the lock once through Stats.
func (s *Store) String() string {
	st := s.Stats()
	return fmt.Sprintf("cache{items=%d evicted=%d hits=%d}", st.Items, st.Evicted, st.Hits)
}

// TopKeys returns up to n keys in insertion order.
func (s *Store) TopKeys(n int) []string {
	s.Lock()
	if n > len(s.order) {
		n = len(s.order)
	}
	keys := append([]string(nil), s.order[:n]...)
	s.Unlock()
	return keys
}
