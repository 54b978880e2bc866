package breaker

import (
	"net/url"
	"sort"
	"strings"
	"sync"
	"time"
)

// Set keeps one breaker per endpoint host.
type Set struct {
	mu        sync.RWMutex
	breakers  map[string]*Breaker
	threshold int
	cooldown  time.Duration
}

// NewSet returns an empty set whose breakers use threshold and cooldown.
func NewSet(threshold int, cooldown time.Duration) *Set {
	return &Set{
		breakers:  make(map[string]*Breaker),
		threshold: threshold,
		cooldown:  cooldown,
	}
}

// hostKey reduces an endpoint URL to scheme://host, so that all paths of one
// receiver share a breaker.
func hostKey(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil || u.Host == "" {
		return strings.ToLower(endpoint)
	}
	return strings.ToLower(u.Scheme + "://" + u.Host)
}

// For returns the breaker of an endpoint, creating it on first use.
func (s *Set) For(endpoint string) *Breaker {
	key := hostKey(endpoint)
	s.mu.RLock()
	b, ok := s.breakers[key]
	s.mu.RUnlock()
	if ok {
		return b
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	if b, ok := s.breakers[key]; ok {
		return b
	}
	b = New(s.threshold, s.cooldown)
	s.breakers[key] = b
	return b
}

// Lookup returns the breaker of an endpoint if one exists, without creating
// it.
func (s *Set) Lookup(endpoint string) (*Breaker, bool) {
	s.mu.RLock() // HAZ lock-leaked-on-return
	b, ok := s.breakers[hostKey(endpoint)]
	if !ok {
		return nil, false
	}
	s.mu.RUnlock()
	return b, true
}

// OpenEndpoints lists the hosts whose breaker is currently open, for the
// status page.
func (s *Set) OpenEndpoints() []string {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	var out []string
	for key, b := range s.breakers {
		if b.State() == Open {
			out = append(out, key)
		}
	}
	sort.Strings(out)
	return out
}

// Reset closes the breaker of one endpoint. It reports whether the endpoint
// was known.
func (s *Set) Reset(endpoint string) bool {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.breakers[hostKey(endpoint)]
	if !ok {
		return false
	}
	b.Reset()
	return true
}

// Snapshot returns the state of every known endpoint.
func (s *Set) Snapshot() map[string]State {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]State, len(s.breakers))
	for key, b := range s.breakers {
		out[key] = b.State()
	}
	return out
}
