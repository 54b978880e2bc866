package router

import (
	"context"
	"errors"
)

// FirstOf sends the same payload to several equivalent functions (regional
// replicas of one service) and returns the first successful answer.
func (r *Router) FirstOf(ctx context.Context, fns []string, payload []byte) ([]byte, error) {
	type answer struct {
		out []byte
		err error
	}
	answers := make(chan answer)
	for _, fn := range fns {
		go func() {
			out, err := r.Invoke(ctx, fn, payload)
			answers <- answer{out, err} // HAZ goroutine-blocked-send
		}()
	}
	var errs []error
	for range fns {
		a := <-answers
		if a.err == nil {
			return a.out, nil
		}
		errs = append(errs, a.err)
	}
	return nil, errors.Join(errs...)
}

// Hedge is FirstOf that cancels the losers and leaves room in the channel
// for every answer.
func (r *Router) Hedge(ctx context.Context, fns []string, payload []byte) ([]byte, error) {
	type answer struct {
		out []byte
		err error
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	answers := make(chan answer, len(fns))
	for _, fn := range fns {
		go func() {
			out, err := r.Invoke(ctx, fn, payload)
			answers <- answer{out, err}
		}()
	}
	var errs []error
	for range fns {
		a := <-answers
		if a.err == nil {
			return a.out, nil
		}
		errs = append(errs, a.err)
	}
	return nil, errors.Join(errs...)
}

// ReplaceAll swaps in a new routing table (config reload).
func (r *Router) ReplaceAll(routes []Route) {
	m := make(map[string]Route, len(routes))
	for _, rt := range routes {
		m[rt.Function] = rt
	}
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	r.routes = m
}

// Has reports whether fn is routable.
func (r *Router) Has(fn string) bool {
	r.mu.RLock() // HAZ lock-leaked-on-return
	if _, ok := r.routes[fn]; ok {
		r.mu.RUnlock()
		return true
	}
	return false
}

// Missing returns the functions of fns that have no route.
func (r *Router) Missing(fns []string) []string {
	r.mu.RLock()
	var missing []string
	for _, fn := range fns {
		if _, ok := r.routes[fn]; !ok {
			missing = append(missing, fn)
		}
	}
	r.mu.RUnlock()
	return missing
}
