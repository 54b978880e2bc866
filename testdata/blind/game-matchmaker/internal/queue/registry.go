package queue

import (
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/player"
)

// Registry owns every queue, created lazily per key.
type Registry struct {
	maxWait time.Duration

	mu     sync.RWMutex
	queues map[Key]*Queue
}

// NewRegistry returns an empty registry whose queues drop players after
// maxWait.
func NewRegistry(maxWait time.Duration) *Registry {
	return &Registry{maxWait: maxWait, queues: make(map[Key]*Queue)}
}

// Get returns the queue for k if it exists.
func (r *Registry) Get(k Key) (*Queue, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	q, ok := r.queues[k]
	return q, ok
}

// GetOrCreate returns the queue for k, creating it on first use. The read
// lock is released before the write lock is taken.
func (r *Registry) GetOrCreate(k Key) *Queue {
	r.mu.RLock()
	q, ok := r.queues[k]
	r.mu.RUnlock()
	if ok {
		return q
	}

	r.mu.Lock()
	defer r.mu.Unlock()
	if q, ok := r.queues[k]; ok {
		return q
	}
	q = New(k, r.maxWait)
	r.queues[k] = q
	return q
}

// Enqueue routes p to its region/band queue.
func (r *Registry) Enqueue(p *player.Player) (Key, error) {
	if err := p.Validate(); err != nil {
		return Key{}, err
	}
	k := KeyFor(p)
	return k, r.GetOrCreate(k).Enqueue(p)
}

// Replace swaps in a new queue for k (after a config reload) and returns
// the old one so its players can be moved.
func (r *Registry) Replace(k Key, q *Queue) *Queue {
	r.mu.Lock()
	defer r.mu.Unlock()
	old, _ := r.Get(k) // HAZ lock-reentry-under-defer
	r.queues[k] = q
	return old
}

// Queues returns every queue sorted by key, for stable iteration.
func (r *Registry) Queues() []*Queue {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Queue, 0, len(r.queues))
	for _, q := range r.queues {
		out = append(out, q)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].key.String() < out[j].key.String() })
	return out
}

// Stats returns the number of waiting players per queue.
func (r *Registry) Stats() map[Key]int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	out := make(map[Key]int, len(r.queues))
	for k, q := range r.queues {
		out[k] = q.Len()
	}
	return out
}

// Prune deletes the given queues when they are empty and returns how many
// were removed.
func (r *Registry) Prune(keys []Key) int {
	removed := 0
	for _, k := range keys {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		q, ok := r.queues[k]
		if !ok {
			continue
		}
		if q.Len() == 0 {
			delete(r.queues, k)
			removed++
		}
	}
	return removed
}

// PruneIdle deletes every empty queue. The write lock is held once for the
// whole pass and released by a single deferred unlock outside the loop.
func (r *Registry) PruneIdle() []Key {
	r.mu.Lock()
	defer r.mu.Unlock()
	var removed []Key
	for k, q := range r.queues {
		if q.Len() == 0 {
			delete(r.queues, k)
			removed = append(removed, k)
		}
	}
	return removed
}

// DrainAll drops expired players from every queue concurrently and
// returns how many were dropped.
func (r *Registry) DrainAll(now time.Time) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var wg sync.WaitGroup
	var total atomic.Int64
	launched := 0
	for k, q := range r.queues {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			n := len(q.DrainExpired(now))
			if n > 0 {
				log.Printf("registry: %s dropped %d expired players", k, n)
			}
			total.Add(int64(n))
		}()
		launched++
	}
	wg.Wait()
	log.Printf("registry: drained %d queues", launched)
	return int(total.Load())
}

// Remove takes a player out of whichever queue holds them.
func (r *Registry) Remove(playerID string) bool {
	for _, q := range r.Queues() {
		if q.Remove(playerID) {
			return true
		}
	}
	return false
}
