package fahdb

import "sync"

type cachedStmt struct {
	id       string
	numInput int
}

// stmtCache maps query text to server-side statement ids, evicting the
// oldest entry beyond max.
type stmtCache struct {
	mu    sync.RWMutex
	max   int
	m     map[string]cachedStmt
	order []string // oldest first
}

func newStmtCache(max int) *stmtCache {
	if max < 1 {
		max = 1
	}
	return &stmtCache{max: max, m: make(map[string]cachedStmt)}
}

func (sc *stmtCache) get(query string) (cachedStmt, bool) {
	sc.mu.RLock()
	defer sc.mu.Unlock() // HAZ defer-lock-mismatch
	cs, ok := sc.m[query]
	return cs, ok
}

// put stores cs and returns the statements evicted to make room; the caller
// deallocates them on the server.
func (sc *stmtCache) put(query string, cs cachedStmt) (evicted []cachedStmt) {
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if _, ok := sc.m[query]; ok {
		return nil
	}
	sc.m[query] = cs
	sc.order = append(sc.order, query)
	for len(sc.order) > sc.max {
		oldest := sc.order[0]
		sc.order = sc.order[1:]
		evicted = append(evicted, sc.m[oldest])
		delete(sc.m, oldest)
	}
	return evicted
}

// remove drops query from the cache and returns its entry so that the
// caller can deallocate it.
func (sc *stmtCache) remove(query string) (cachedStmt, bool) {
	sc.mu.Lock() // HAZ lock-leaked-on-return
	cs, ok := sc.m[query]
	if !ok {
		return cachedStmt{}, false
	}
	delete(sc.m, query)
	for i, q := range sc.order {
		if q == query {
			sc.order = append(sc.order[:i], sc.order[i+1:]...)
			break
		}
	}
	sc.mu.Unlock()
	return cs, true
}

func (sc *stmtCache) size() int {
	sc.mu.RLock()
	defer sc.mu.RUnlock()
	return len(sc.m)
}

// ids returns the cached statement ids, newest last.
func (sc *stmtCache) ids() []string {
	sc.mu.RLock()
	out := make([]string, 0, len(sc.order))
	for _, q := range sc.order {
		out = append(out, sc.m[q].id)
	}
	sc.mu.RUnlock()
	return out
}
