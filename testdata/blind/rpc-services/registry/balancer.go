package registry

import (
	"context"
	"errors"
	"maps"
	"slices"
	"sync"
)

// ErrNoInstances is returned when a service has no live instance.
var ErrNoInstances = errors.New("registry: no instances available")

// Picker chooses an instance for one call. The done func must be called
// with the call's error when the call ends; it is nil when err is not nil.
type Picker interface {
	Pick(ctx context.Context) (inst Instance, done func(error), err error)
}

// RoundRobin cycles through instances.
type RoundRobin struct {
	mu    sync.Mutex
	next  int
	insts []Instance
}

// NewRoundRobin returns a picker over insts.
func NewRoundRobin(insts []Instance) *RoundRobin {
	rr := &RoundRobin{}
	rr.Update(insts)
	return rr
}

// Update replaces the instance list.
func (rr *RoundRobin) Update(insts []Instance) {
	rr.mu.Lock()
	defer rr.mu.Unlock()
	rr.insts = slices.Clone(insts)
	if rr.next >= len(rr.insts) {
		rr.next = 0
	}
}

// Pick implements Picker.
func (rr *RoundRobin) Pick(context.Context) (Instance, func(error), error) {
	rr.mu.Lock()
	if len(rr.insts) == 0 {
		rr.mu.Unlock()
		return Instance{}, nil, ErrNoInstances
	}
	inst := rr.insts[rr.next%len(rr.insts)]
	rr.next++
	rr.mu.Unlock()
	return inst, func(error) {}, nil
}

// LeastLoaded picks the instance with the fewest in-flight calls per weight.
type LeastLoaded struct {
	mu    sync.Mutex
	insts []Instance
	load  map[string]int
}

// NewLeastLoaded returns a picker over insts.
func NewLeastLoaded(insts []Instance) *LeastLoaded {
	ll := &LeastLoaded{load: make(map[string]int)}
	ll.Update(insts)
	return ll
}

// Update replaces the instance list and keeps the load of survivors.
func (ll *LeastLoaded) Update(insts []Instance) {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	ll.insts = slices.Clone(insts)
	keep := make(map[string]int, len(insts))
	for _, inst := range insts {
		keep[inst.ID] = ll.load[inst.ID]
	}
	ll.load = keep
}

// score must be called with ll.mu held.
func (ll *LeastLoaded) score(i int) float64 {
	inst := ll.insts[i]
	w := inst.Weight
	if w <= 0 {
		w = 1
	}
	return float64(ll.load[inst.ID]+1) / float64(w)
}

// Pick implements Picker. The returned done func takes the lock again, but
// only when the caller's call ends, long after Pick has unlocked.
func (ll *LeastLoaded) Pick(context.Context) (Instance, func(error), error) {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	if len(ll.insts) == 0 {
		return Instance{}, nil, ErrNoInstances
	}
	best := 0
	for i := 1; i < len(ll.insts); i++ {
		if ll.score(i) < ll.score(best) {
			best = i
		}
	}
	inst := ll.insts[best]
	ll.load[inst.ID]++
	return inst, func(error) { ll.release(inst.ID) }, nil
}

func (ll *LeastLoaded) release(id string) {
	ll.mu.Lock()
	if ll.load[id] > 0 {
		ll.load[id]--
	}
	ll.mu.Unlock()
}

// Loads returns a copy of the in-flight counts.
func (ll *LeastLoaded) Loads() map[string]int {
	ll.mu.Lock()
	defer ll.mu.Unlock()
	return maps.Clone(ll.load)
}

// FirstHealthy probes instances concurrently and returns the first one that
// answers.
func FirstHealthy(ctx context.Context, insts []Instance, probe func(context.Context, Instance) error) (Instance, error) {
	if len(insts) == 0 {
		return Instance{}, ErrNoInstances
	}
	found := make(chan Instance)
	failed := make(chan error, len(insts))
	for _, inst := range insts {
		go func() {
			if err := probe(ctx, inst); err != nil {
				failed <- err
				return
			}
			found <- inst // HAZ goroutine-blocked-send
		}()
	}
	var errs []error
	for range insts {
		select {
		case inst := <-found:
			return inst, nil
		case err := <-failed:
			errs = append(errs, err)
		case <-ctx.Done():
			return Instance{}, ctx.Err()
		}
	}
	return Instance{}, errors.Join(errs...)
}

// Race sends call to every instance and keeps the first success. The result
// channel has room for every answer, so the losers finish and exit.
func Race[T any](ctx context.Context, insts []Instance, call func(context.Context, Instance) (T, error)) (T, error) {
	var zero T
	if len(insts) == 0 {
		return zero, ErrNoInstances
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		v   T
		err error
	}
	results := make(chan result, len(insts))
	for _, inst := range insts {
		go func() {
			v, err := call(ctx, inst)
			results <- result{v: v, err: err}
		}()
	}
	var errs []error
	for range insts {
		select {
		case res := <-results:
			if res.err == nil {
				return res.v, nil
			}
			errs = append(errs, res.err)
		case <-ctx.Done():
			return zero, ctx.Err()
		}
	}
	return zero, errors.Join(errs...)
}
