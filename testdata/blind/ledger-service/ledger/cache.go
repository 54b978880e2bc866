package ledger

// The balance cache serves the read-heavy balance endpoint. It is a hint:
// transfers invalidate the accounts they touch after committing.

func (s *Store) cachedBalance(id string) (int64, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	b, ok := s.balances[id]
	return b, ok
}

func (s *Store) cacheBalance(id string, b int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balances[id] = b
}

// CachedBalances returns the cached balances of ids that are present.
func (s *Store) CachedBalances(ids []string) map[string]int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]int64, len(ids))
	for _, id := range ids {
		if b, ok := s.cachedBalance(id); ok { // HAZ lock-reentry-under-defer
			out[id] = b
		}
	}
	return out
}

// CachedBalancesFast is the same lookup done under a single read lock.
func (s *Store) CachedBalancesFast(ids []string) map[string]int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[string]int64, len(ids))
	for _, id := range ids {
		if b, ok := s.balances[id]; ok { // ok: direct map access under the held lock
			out[id] = b
		}
	}
	return out
}

// invalidate drops cached balances; "*" drops everything.
func (s *Store) invalidate(ids ...string) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	for _, id := range ids {
		if id == "*" {
			s.balances = map[string]int64{}
			return
		}
		delete(s.balances, id)
	}
	s.mu.Unlock()
}

// ResetCache empties the balance cache.
func (s *Store) ResetCache() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.balances = map[string]int64{}
}

// evict removes one account, unlocking explicitly on every path.
func (s *Store) evict(id string) bool {
	s.mu.Lock()
	if _, ok := s.balances[id]; !ok {
		s.mu.Unlock()
		return false
	}
	delete(s.balances, id)
	s.mu.Unlock()
	return true
}

// CacheStats describes the cache for the debug endpoint.
type CacheStats struct {
	Entries int
	Total   int64
}

// CacheStats reports the size of the balance cache.
func (s *Store) CacheStats() CacheStats {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	st := CacheStats{Entries: len(s.balances)}
	for _, b := range s.balances {
		st.Total += b
	}
	return st
}

// cacheTotal sums the cached balances.
func (s *Store) cacheTotal() int64 {
	s.mu.RLock()
	defer s.mu.RUnlock() // ok: matching read unlock
	var t int64
	for _, b := range s.balances {
		t += b
	}
	return t
}
