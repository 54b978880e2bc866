package game

import (
	"errors"
	"sort"
	"sync"
	"sync/atomic"
)

// Registry errors.
var (
	ErrTooManyMatches = errors.New("game: match limit reached")
	ErrDuplicateMatch = errors.New("game: match id already in use")
)

// Registry tracks the live matches of this server.
type Registry struct {
	mu       sync.Mutex
	matches  map[string]*Match
	max      int
	newMatch func(id string) *Match
}

// NewRegistry returns a registry that builds matches with factory.
func NewRegistry(max int, factory func(id string) *Match) *Registry {
	return &Registry{matches: make(map[string]*Match), max: max, newMatch: factory}
}

// Create registers a new match under id.
func (r *Registry) Create(id string) (*Match, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if len(r.matches) >= r.max {
		return nil, ErrTooManyMatches
	}
	if _, ok := r.matches[id]; ok {
		return nil, ErrDuplicateMatch
	}
	m := r.newMatch(id)
	r.matches[id] = m
	return m, nil
}

// Get returns the match with the given id.
func (r *Registry) Get(id string) (*Match, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	m, ok := r.matches[id]
	return m, ok
}

// Remove forgets a match.
func (r *Registry) Remove(id string) {
	r.mu.Lock()
	delete(r.matches, id)
	r.mu.Unlock()
}

// List returns the live matches ordered by id.
func (r *Registry) List() []*Match {
	r.mu.Lock()
	out := make([]*Match, 0, len(r.matches))
	for _, m := range r.matches {
		out = append(out, m)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

// Announce sends a server chat line to every match concurrently and
// reports how many matches and players it reached.
func (r *Registry) Announce(text string) (matches int, players int64) {
	frame := protocolChat(text)
	var wg sync.WaitGroup
	var delivered atomic.Int64
	for _, m := range r.List() {
		wg.Add(1)
		go func() { defer wg.Done(); delivered.Add(int64(m.broadcast(frame))) }() // HAZ loop-var-capture
		matches++
	}
	wg.Wait()
	return matches, delivered.Load()
}

// EndAll ends every match concurrently and waits for all of them.
func (r *Registry) EndAll(reason string) {
	var wg sync.WaitGroup
	for _, m := range r.List() {
		wg.Add(1)
		go func(m *Match) {
			defer wg.Done()
			m.End(reason)
		}(m)
	}
	wg.Wait()
}

// SnapshotAll captures every running match, skipping ended ones.
func (r *Registry) SnapshotAll() []Snapshot {
	matches := r.List()
	out := make([]Snapshot, 0, len(matches))
	for _, m := range matches {
		func() {
			m.mu.RLock()
			defer m.mu.RUnlock()
			if m.state.Phase == PhaseEnded {
				return
			}
			out = append(out, m.snapshotLocked())
		}()
	}
	return out
}

// Reap removes matches whose tick loop has exited and returns their ids.
func (r *Registry) Reap() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var reaped []string
	for id, m := range r.matches {
		select {
		case <-m.Done():
			delete(r.matches, id)
			reaped = append(reaped, id)
		default:
		}
	}
	sort.Strings(reaped)
	return reaped
}
