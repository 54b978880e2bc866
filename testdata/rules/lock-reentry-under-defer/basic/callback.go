package fixture

import (
	"sort"
	"sync"
)

type connector struct {
	mu       sync.Mutex
	password string
}

// The callee lets go of the lock around the callback and takes it back as it returns: the
// caller's lock is released, not taken twice. No finding here, and no blocking deferred lock.
func (c *connector) refresh(refreshPassword func() (string, bool)) {
	callRefresh := func() (string, bool) {
		defer c.mu.Lock()
		c.mu.Unlock()
		return refreshPassword()
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if p, ok := callRefresh(); ok {
		c.password = p
	}
}

type scores struct {
	mu sync.Mutex
	m  map[string]int
}

func (s *scores) score(id string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.m[id]
}

// sort.Slice calls the literal while ranked still holds s.mu.
func (s *scores) ranked() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	ids := make([]string, 0, len(s.m))
	for id := range s.m {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool {
		return s.score(ids[i]) > s.score(ids[j]) // want `s\.mu is locked on line \d+ and held until scores\.ranked returns .*but s\.score\(ids\[i\]\) on line \d+ locks it again \(scores\.ranked → scores\.score → s\.mu\.Lock\(\)`
	})
	return ids
}
