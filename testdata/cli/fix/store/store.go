// Package store has deferred calls that suggested fixes repair.
package store

import (
	"os"
	"sync"
)

type Store struct {
	mu   sync.RWMutex
	data map[string]string
}

// Put takes the write lock but defers the read unlock.
func (s *Store) Put(k, v string) {
	s.mu.Lock()
	defer s.mu.RUnlock()
	s.data[k] = v
}

// Get is correct and stays as it is.
func (s *Store) Get(k string) string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.data[k]
}

// OpenAll keeps every file open until it returns; there is no automatic fix for that.
func OpenAll(names []string) {
	for _, n := range names {
		f, err := os.Open(n)
		if err != nil {
			continue
		}
		defer f.Close()
	}
}
