// Package api serves lookups backed by slow upstream calls.
package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Profile is a user profile.
type Profile struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

type result struct {
	p   *Profile
	err error
}

// Request is a mutation request.
type Request struct {
	ID     string
	DryRun bool
}

// Service talks to upstreams.
type Service struct {
	timeout time.Duration
	lookup  func(ctx context.Context, id string) (*Profile, error)
	check   func(r Request) error
}

func (s *Service) compute(in string, out chan<- int) {
	out <- len(strings.Fields(in))
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// HandleProfile answers with the profile, or 504 when the client gives up first.
func (s *Service) HandleProfile(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ch := make(chan result) // HAZ goroutine-blocked-send
	go func() {
		p, err := s.lookup(ctx, r.URL.Query().Get("id"))
		ch <- result{p, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, res.p)
	case <-ctx.Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// Lookup returns the profile or an error after the service timeout.
func (s *Service) Lookup(id string) (*Profile, error) {
	ch := make(chan result) // HAZ goroutine-blocked-send
	go func() {
		p, err := s.lookup(context.Background(), id)
		ch <- result{p, err}
	}()
	select {
	case res := <-ch:
		return res.p, res.err
	case <-time.After(s.timeout):
		return nil, errors.New("lookup timed out")
	}
}

// Apply validates in the background and applies unless it is a dry run.
func (s *Service) Apply(req Request) error {
	errc := make(chan error) // HAZ goroutine-blocked-send
	go func() { errc <- s.check(req) }()
	if req.DryRun {
		return nil
	}
	return <-errc
}

// LookupTimer uses an explicit timer for the deadline.
func (s *Service) LookupTimer(ctx context.Context, id string) (*Profile, error) {
	ch := make(chan *Profile) // HAZ goroutine-blocked-send
	go func() {
		p, _ := s.lookup(ctx, id)
		ch <- p
	}()
	t := time.NewTimer(s.timeout)
	defer t.Stop()
	select {
	case <-t.C:
		return nil, errors.New("deadline exceeded")
	case p := <-ch:
		return p, nil
	}
}

// WordCount counts words in a background goroutine, bounded by ctx.
func (s *Service) WordCount(ctx context.Context, text string) (int, error) {
	out := make(chan int) // HAZ goroutine-blocked-send
	go s.compute(text, out)
	select {
	case n := <-out:
		return n, nil
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// WithTimeout runs fn and gives up after d.
func WithTimeout[T any](d time.Duration, fn func() T) (T, error) {
	ch := make(chan T) // HAZ goroutine-blocked-send
	go func() { ch <- fn() }()
	select {
	case v := <-ch:
		return v, nil
	case <-time.After(d):
		var zero T
		return zero, errors.New("timed out")
	}
}

// Update validates the request id and waits for the background check.
func (s *Service) Update(req Request) error {
	errc := make(chan error) // HAZ goroutine-blocked-send
	go func() { errc <- s.check(req) }()
	if req.ID == "" {
		return errors.New("missing id")
	}
	return <-errc
}

// LookupAll fetches every id concurrently and fails on the first error.
func (s *Service) LookupAll(ctx context.Context, ids []string) ([]*Profile, error) {
	ch := make(chan result) // HAZ goroutine-blocked-send
	for _, id := range ids {
		go func() {
			p, err := s.lookup(ctx, id)
			ch <- result{p, err}
		}()
	}
	out := make([]*Profile, 0, len(ids))
	for range ids {
		res := <-ch
		if res.err != nil {
			return nil, res.err
		}
		out = append(out, res.p)
	}
	return out, nil
}

// HandleSearch streams candidate names and answers with the first match.
func (s *Service) HandleSearch(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	names := make(chan string) // HAZ goroutine-blocked-send
	go func() {
		for _, n := range []string{"alice", "bob", "carol", "dave"} {
			names <- n
		}
		close(names)
	}()
	for n := range names {
		if strings.HasPrefix(n, q) {
			writeJSON(w, map[string]string{"match": n})
			return
		}
	}
	http.NotFound(w, r)
}

// ---- negatives ----

// HandleProfileBuffered uses a one-slot buffer so the sender never blocks.
func (s *Service) HandleProfileBuffered(w http.ResponseWriter, r *http.Request) {
	ctx := r.Context()
	ch := make(chan result, 1) // ok: buffered for the single send
	go func() {
		p, err := s.lookup(ctx, r.URL.Query().Get("id"))
		ch <- result{p, err}
	}()
	select {
	case res := <-ch:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		writeJSON(w, res.p)
	case <-ctx.Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// LookupCtx lets the sender give up when ctx ends.
func (s *Service) LookupCtx(ctx context.Context, id string) (*Profile, error) {
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	ch := make(chan result) // ok: the sender selects on ctx.Done
	go func() {
		p, err := s.lookup(ctx, id)
		select {
		case ch <- result{p, err}:
		case <-ctx.Done():
		}
	}()
	select {
	case res := <-ch:
		return res.p, res.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// ApplySync always receives.
func (s *Service) ApplySync(req Request) error {
	errc := make(chan error) // ok: received on every path
	go func() { errc <- s.check(req) }()
	err := <-errc
	if req.DryRun {
		return nil
	}
	return err
}

// UpdateChecked validates before starting the goroutine.
func (s *Service) UpdateChecked(req Request) error {
	if req.ID == "" {
		return errors.New("missing id")
	}
	errc := make(chan error) // ok: the early return happens before the goroutine exists
	go func() { errc <- s.check(req) }()
	return <-errc
}

// LookupDone closes done on return; the sender selects on it.
func (s *Service) LookupDone(id string) (*Profile, error) {
	done := make(chan struct{})
	defer close(done)
	ch := make(chan result) // ok: the sender also selects on done
	go func() {
		p, err := s.lookup(context.Background(), id)
		select {
		case ch <- result{p, err}:
		case <-done:
		}
	}()
	select {
	case res := <-ch:
		return res.p, res.err
	case <-time.After(s.timeout):
		return nil, errors.New("lookup timed out")
	}
}

// LookupAllBuffered has room for every result.
func (s *Service) LookupAllBuffered(ctx context.Context, ids []string) ([]*Profile, error) {
	ch := make(chan result, len(ids)) // ok: one slot per goroutine
	for _, id := range ids {
		go func() {
			p, err := s.lookup(ctx, id)
			ch <- result{p, err}
		}()
	}
	out := make([]*Profile, 0, len(ids))
	for range ids {
		res := <-ch
		if res.err != nil {
			return nil, res.err
		}
		out = append(out, res.p)
	}
	return out, nil
}

// LookupAllWG collects into a slice under a WaitGroup.
func (s *Service) LookupAllWG(ctx context.Context, ids []string) ([]*Profile, error) {
	var wg sync.WaitGroup
	out := make([]*Profile, len(ids))
	errs := make([]error, len(ids))
	for i, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], errs[i] = s.lookup(ctx, id)
		}()
	}
	wg.Wait()
	return out, errors.Join(errs...)
}

// LookupDrained drains the late result in the background on timeout.
func (s *Service) LookupDrained(id string) (*Profile, error) {
	ch := make(chan result) // ok: the timeout path drains the channel
	go func() {
		p, err := s.lookup(context.Background(), id)
		ch <- result{p, err}
	}()
	select {
	case res := <-ch:
		return res.p, res.err
	case <-time.After(s.timeout):
		go func() { <-ch }()
		return nil, errors.New("lookup timed out")
	}
}

// HandleApply waits for the validation through a buffered channel.
func (s *Service) HandleApply(w http.ResponseWriter, r *http.Request) {
	req := Request{ID: r.URL.Query().Get("id"), DryRun: r.URL.Query().Has("dry")}
	errc := make(chan error, 1) // ok: buffered
	go func() { errc <- s.check(req) }()
	if req.DryRun {
		w.WriteHeader(http.StatusNoContent)
		return
	}
	if err := <-errc; err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusOK)
}
