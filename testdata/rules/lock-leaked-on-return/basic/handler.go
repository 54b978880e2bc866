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
