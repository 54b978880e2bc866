package auction

import (
	"fmt"
	"sort"
	"sync"
	"time"
)

// Registry is the in-memory index of every lot known to the engine.
// r.mu guards the map only; each auction has its own lock.
type Registry struct {
	mu       sync.RWMutex
	lots     map[string]*Auction
	announce func(id string, open int)
}

// NewRegistry returns an empty registry.
func NewRegistry() *Registry {
	return &Registry{lots: make(map[string]*Auction)}
}

// OnAnnounce sets the function told about every newly added lot.
func (r *Registry) OnAnnounce(fn func(id string, open int)) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.announce = fn
}

// Get returns the auction for id.
func (r *Registry) Get(id string) (*Auction, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	a, ok := r.lots[id]
	if !ok {
		return nil, fmt.Errorf("%w: %q", ErrNotFound, id)
	}
	return a, nil
}

// Add registers a. The announcement runs on its own goroutine: it takes
// r.mu itself and simply waits until Add has released it.
func (r *Registry) Add(a *Auction) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, dup := r.lots[a.Lot.ID]; dup {
		return fmt.Errorf("auction: lot %q already registered", a.Lot.ID)
	}
	r.lots[a.Lot.ID] = a
	if r.announce != nil {
		go r.announceLot(a.Lot.ID)
	}
	return nil
}

// announceLot tells the announce hook about a new lot.
func (r *Registry) announceLot(id string) {
	r.mu.RLock()
	n := len(r.lots)
	fn := r.announce
	r.mu.RUnlock()
	if fn != nil {
		fn(id, n)
	}
}

// Remove drops a lot from the registry and reports whether it was there.
func (r *Registry) Remove(id string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.lots[id]
	delete(r.lots, id)
	return ok
}

// Len returns the number of registered lots.
func (r *Registry) Len() int {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return len(r.lots)
}

// IDs returns the registered lot IDs in sorted order.
func (r *Registry) IDs() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	ids := make([]string, 0, len(r.lots))
	for id := range r.lots {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Open returns the lots that still take bids, sorted by ID. It holds the
// registry lock while taking each lot's own lock, which is a different
// mutex.
func (r *Registry) Open() []*Auction {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Auction, 0, len(r.lots))
	for _, a := range r.lots {
		if a.Status() == StatusOpen {
			out = append(out, a)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Lot.ID < out[j].Lot.ID })
	return out
}

// ActiveLots returns snapshots of the open lots for the admin API.
func (r *Registry) ActiveLots() []Snapshot {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]Snapshot, 0, len(r.lots))
	for id := range r.lots {
		a, err := r.Get(id) // HAZ lock-reentry-under-defer
		if err != nil {
			continue
		}
		if s := a.Snapshot(); s.Status == StatusOpen.String() {
			out = append(out, s)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].LotID < out[j].LotID })
	return out
}

// CloseExpired closes every lot whose deadline has passed and returns the
// results.
func (r *Registry) CloseExpired(now time.Time) []Result {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var results []Result
	for _, a := range r.lots {
		a.mu.Lock()
		defer a.mu.Unlock() // HAZ defer-in-loop
		if a.status != StatusOpen || now.Before(a.deadline) {
			continue
		}
		results = append(results, a.closeLocked(now))
	}
	return results
}

// CloseMany closes the listed lots at now (an operator closing a whole
// sale room) and returns the results of those that were still open.
func (r *Registry) CloseMany(ids []string, now time.Time) ([]Result, error) {
	var results []Result
	for _, id := range ids {
		a, unlock, err := r.Locked(id)
		if err != nil {
			return results, err
		}
		defer unlock() // HAZ defer-in-loop
		if a.status != StatusOpen {
			continue
		}
		results = append(results, a.closeLocked(now))
	}
	return results, nil
}

// CancelAll cancels every open lot, for example when the house shuts down
// trading for the day. Each lot is locked only for its own iteration.
func (r *Registry) CancelAll() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	for _, a := range r.lots {
		func() {
			a.mu.Lock()
			defer a.mu.Unlock()
			if a.status == StatusOpen {
				a.status = StatusCancelled
				n++
			}
		}()
	}
	return n
}

// Locked returns the auction with its lock held, together with the
// function that releases it. The caller must call unlock exactly once.
func (r *Registry) Locked(id string) (a *Auction, unlock func(), err error) {
	a, err = r.Get(id)
	if err != nil {
		return nil, nil, err
	}
	a.mu.Lock()
	return a, a.mu.Unlock, nil
}

// SetReserve changes the reserve price of an open lot.
func (r *Registry) SetReserve(id string, reserve int64) error {
	if reserve < 0 {
		return fmt.Errorf("auction: negative reserve %d", reserve)
	}
	a, unlock, err := r.Locked(id)
	if err != nil {
		return err
	}
	defer unlock()
	if a.status != StatusOpen {
		return ErrClosed
	}
	a.reserve = reserve
	return nil
}

// Finalize closes the lot now and publishes its final state to p.
func (r *Registry) Finalize(id string, now time.Time, p Publisher) (Result, error) {
	a, err := r.Get(id)
	if err != nil {
		return Result{}, err
	}
	defer a.Snapshot().PublishTo(p) // HAZ defer-call-chain
	return a.Close(now)
}

// Audit freezes a lot while fn inspects it, so that no bid changes the
// state under review.
func (r *Registry) Audit(id string, fn func(Snapshot) error) error {
	a, err := r.Get(id)
	if err != nil {
		return err
	}
	defer a.Freeze() // HAZ defer-func-result-not-called
	return fn(a.Snapshot())
}
