package kv

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"
)

// Request is one operation submitted through Serve.
type Request struct {
	Op    string // "get", "put", "del"
	Key   string
	Value []byte
	Reply chan<- Response // buffered by the caller
}

// Response answers a Request.
type Response struct {
	Value []byte
	Found bool
	Err   error
}

// Sink receives replicated batches.
type Sink interface {
	Name() string
	Ping(ctx context.Context) error
	WriteBatch(ctx context.Context, batch map[string][]byte) error
}

// Serve applies requests until ctx ends or reqs is closed. It also runs the
// periodic compaction.
func (s *Store) Serve(ctx context.Context, reqs <-chan Request) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kv: serve: panic: %v", r)
		}
	}()
	go s.compactEvery(ctx, 10*time.Minute) // HAZ goroutine-outside-recover
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case req, ok := <-reqs:
			if !ok {
				return nil
			}
			s.handle(req)
		}
	}
}

// ServeGuarded is Serve for embedding in larger programs: the compactor has
// its own recover and reports through errc.
func (s *Store) ServeGuarded(ctx context.Context, reqs <-chan Request) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("kv: serve: panic: %v", r)
		}
	}()
	errc := make(chan error, 1)
	go func() { // ok: the goroutine recovers on its own
		defer func() {
			if r := recover(); r != nil {
				select {
				case errc <- fmt.Errorf("kv: compactor: panic: %v", r):
				default:
				}
			}
		}()
		s.compactEvery(ctx, 10*time.Minute)
	}()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-errc:
			return err
		case req, ok := <-reqs:
			if !ok {
				return nil
			}
			s.handle(req)
		}
	}
}

func (s *Store) handle(req Request) {
	var resp Response
	switch req.Op {
	case "get":
		resp.Value, resp.Found = s.Get(req.Key)
	case "put":
		resp.Err = s.Put(req.Key, req.Value)
	case "del":
		resp.Err = s.Delete(req.Key)
	default:
		resp.Err = fmt.Errorf("kv: unknown op %q", req.Op)
	}
	if req.Reply != nil {
		select {
		case req.Reply <- resp:
		default:
			s.logf("kv: dropped reply for %s %q", req.Op, req.Key)
		}
	}
}

func (s *Store) compactEvery(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := s.Compact(); err != nil {
				s.logf("kv: compact: %v", err)
			}
		}
	}
}

// Replicate sends a copy of the store to every reachable sink.
func (s *Store) Replicate(ctx context.Context, sinks []Sink) error {
	_, batch := s.copyData()
	var wg sync.WaitGroup
	errs := make([]error, len(sinks))
	for i, sink := range sinks {
		wg.Add(1)
		go func() {
			if err := sink.Ping(ctx); err != nil {
				errs[i] = fmt.Errorf("%s: unreachable: %w", sink.Name(), err)
				return
			}
			errs[i] = sink.WriteBatch(ctx, batch)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Mirror is Replicate with a per-sink timeout.
func (s *Store) Mirror(ctx context.Context, sinks []Sink, timeout time.Duration) error {
	_, batch := s.copyData()
	var wg sync.WaitGroup
	errs := make([]error, len(sinks))
	for i, sink := range sinks {
		wg.Add(1)
		go func() { // ok: Go 1.22 loop variables, Done deferred
			defer wg.Done()
			ctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			if err := sink.Ping(ctx); err != nil {
				errs[i] = fmt.Errorf("%s: unreachable: %w", sink.Name(), err)
				return
			}
			errs[i] = sink.WriteBatch(ctx, batch)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// FirstReachable returns the name of the first sink that answers a ping.
func FirstReachable(ctx context.Context, sinks []Sink) (string, error) {
	if len(sinks) == 0 {
		return "", errors.New("kv: no sinks")
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	type result struct {
		name string
		err  error
	}
	results := make(chan result, len(sinks)) // ok: room for every sender
	for _, sink := range sinks {
		go func() {
			results <- result{sink.Name(), sink.Ping(ctx)}
		}()
	}
	var errs []error
	for range sinks {
		select {
		case r := <-results:
			if r.err == nil {
				return r.name, nil
			}
			errs = append(errs, fmt.Errorf("%s: %w", r.name, r.err))
		case <-ctx.Done():
			return "", ctx.Err()
		}
	}
	return "", errors.Join(errs...)
}
