package ledger

import (
	"sort"
	"sync"
)

// accountLocks serialises work on one account inside this process, so that
// concurrent transfers on a hot account do not all end in serialization
// failures.
type accountLocks struct {
	mu sync.Mutex
	m  map[string]*sync.Mutex
}

func newAccountLocks() *accountLocks {
	return &accountLocks{m: map[string]*sync.Mutex{}}
}

func (l *accountLocks) get(id string) *sync.Mutex {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.m[id]
	if !ok {
		m = new(sync.Mutex)
		l.m[id] = m
	}
	return m
}

// lock acquires the account's mutex and returns the function that releases it.
func (l *accountLocks) lock(id string) func() {
	m := l.get(id)
	m.Lock() // ok: ownership moves to the returned release func
	return m.Unlock
}

// lockPair locks two accounts in a fixed order to avoid lock-order inversion.
func (l *accountLocks) lockPair(a, b string) func() {
	if a == b {
		return l.lock(a)
	}
	if b < a {
		a, b = b, a
	}
	ua := l.lock(a)
	ub := l.lock(b)
	return func() {
		ub()
		ua()
	}
}

// lockAll locks a set of accounts, deduplicated and in sorted order.
func (l *accountLocks) lockAll(ids []string) func() {
	uniq := make([]string, 0, len(ids))
	seen := make(map[string]bool, len(ids))
	for _, id := range ids {
		if !seen[id] {
			seen[id] = true
			uniq = append(uniq, id)
		}
	}
	sort.Strings(uniq)
	unlocks := make([]func(), 0, len(uniq))
	for _, id := range uniq {
		unlocks = append(unlocks, l.lock(id))
	}
	return func() {
		for i := len(unlocks) - 1; i >= 0; i-- {
			unlocks[i]()
		}
	}
}

// size reports how many account mutexes exist.
func (l *accountLocks) size() int {
	l.mu.Lock()
	n := len(l.m)
	l.mu.Unlock()
	return n
}
