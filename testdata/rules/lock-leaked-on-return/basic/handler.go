package fixture

import (
	"net/http"
	"sync"
)

type accounts struct {
	mu     sync.Mutex
	locked map[string]bool
}

// A request handler named like a lock helper still must not return with the mutex held.
func (a *accounts) LockAccount(w http.ResponseWriter, r *http.Request) {
	a.mu.Lock() // want `a.mu.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	id := r.URL.Query().Get("id")
	if id == "" {
		http.Error(w, "missing id", http.StatusBadRequest)
		return
	}
	a.locked[id] = true
	a.mu.Unlock()
}

// An acquire helper that is no handler returns with the lock held on purpose.
func (a *accounts) lockAll() {
	a.mu.Lock()
}

// BUG: return in case with lock held. (A note about the bug is no documentation of intent.)
func (a *accounts) markAll(ids []string) {
	a.mu.Lock() // want `a.mu.Lock\(\) on line \d+ is not released on the path to the return on line \d+`
	for _, id := range ids {
		if id == "" {
			return
		}
		a.locked[id] = true
	}
	a.mu.Unlock()
}

// lockedCopy returns with a.mu held; the caller unlocks it.
func (a *accounts) lockedCopy() map[string]bool {
	a.mu.Lock()
	return a.locked
}
