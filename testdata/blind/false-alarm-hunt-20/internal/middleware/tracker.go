package middleware

import (
	"net/http"
	"sync"
	"time"
)

// Tracker knows which requests are in flight, for the admin "slow requests"
// page and for draining.
type Tracker struct {
	mu     sync.Mutex
	active map[*http.Request]time.Time
}

// NewTracker returns an empty tracker.
func NewTracker() *Tracker { return &Tracker{active: make(map[*http.Request]time.Time)} }

func (t *Tracker) add(r *http.Request) {
	t.mu.Lock()
	t.active[r] = time.Now()
	t.mu.Unlock()
}

func (t *Tracker) remove(r *http.Request) {
	t.mu.Lock()
	delete(t.active, r)
	t.mu.Unlock()
}

// Middleware registers each request for the time it is served. The deferred
// remove only takes the tracker's map lock for a delete.
func (t *Tracker) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		t.add(r)
		defer t.remove(r)
		next.ServeHTTP(w, r)
	})
}

// Oldest is the age of the longest-running request, zero when idle.
func (t *Tracker) Oldest() time.Duration {
	t.mu.Lock()
	defer t.mu.Unlock()
	var oldest time.Duration
	now := time.Now()
	for _, started := range t.active {
		if d := now.Sub(started); d > oldest {
			oldest = d
		}
	}
	return oldest
}

// Len is the number of requests in flight.
func (t *Tracker) Len() int {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.active)
}
