// Package pipeline moves items through named stages and plugins.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"example.com/up18/internal/metrics"
)

// Item is one unit of work.
type Item struct {
	Key  string
	Body []byte
}

// Handler processes one item.
type Handler func(context.Context, Item) error

// Stats counts a stage's traffic.
type Stats struct {
	In, Out, Failed int
}

// Stage runs a handler over a stream of items.
type Stage struct {
	name    string
	handle  Handler
	onClose func()            // optional, set by WithCloseHook
	onFlush func()            // never nil: defaults to a no-op
	hooks   map[string]func() // per-phase hooks, set by WithHook
	trace   func(name string) func()
	mu      sync.Mutex
	stats   Stats
}

// Option configures a Stage.
type Option func(*Stage)

// WithCloseHook registers fn to run when Run returns.
func WithCloseHook(fn func()) Option {
	return func(s *Stage) { s.onClose = fn }
}

// WithFlushHook registers fn to run after every Flush; nil is ignored.
func WithFlushHook(fn func()) Option {
	return func(s *Stage) {
		if fn != nil {
			s.onFlush = fn
		}
	}
}

// WithHook registers fn to run at the end of the named phase.
func WithHook(phase string, fn func()) Option {
	return func(s *Stage) { s.hooks[phase] = fn }
}

// NewStage returns a stage named name that runs h.
func NewStage(name string, h Handler, opts ...Option) *Stage {
	s := &Stage{
		name:    name,
		handle:  h,
		onFlush: func() {},
		hooks:   make(map[string]func()),
		trace:   metrics.Track,
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

func (s *Stage) count(err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.stats.In++
	if err != nil {
		s.stats.Failed++
		return
	}
	s.stats.Out++
}

// Stats returns a copy of the stage's counters.
func (s *Stage) Stats() Stats {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.stats
}

// Run consumes in until it is closed or ctx ends.
func (s *Stage) Run(ctx context.Context, in <-chan Item) error {
	defer s.onClose() // HAZ defer-nil-func
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case it, ok := <-in:
			if !ok {
				return nil
			}
			s.count(s.handle(ctx, it))
		}
	}
}

// Flush handles items synchronously and returns how many succeeded.
func (s *Stage) Flush(ctx context.Context, items []Item) (int, error) {
	defer s.trace(s.name + ".flush")()
	defer s.onFlush()
	n := 0
	var errs []error
	for _, it := range items {
		err := s.handle(ctx, it)
		s.count(err)
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %s: %w", s.name, it.Key, err))
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

// Phase runs items as the named phase and then that phase's hook.
func (s *Stage) Phase(ctx context.Context, phase string, items []Item) error {
	defer s.hooks[phase]() // HAZ defer-nil-func
	for _, it := range items {
		if err := s.handle(ctx, it); err != nil {
			return fmt.Errorf("%s/%s: %w", s.name, phase, err)
		}
	}
	return nil
}

// Drain hands the remaining items to the handler, ignoring failures, and
// runs the "drain" hook if one is registered.
func (s *Stage) Drain(ctx context.Context, items []Item) int {
	if h, ok := s.hooks["drain"]; ok && h != nil {
		defer h()
	}
	n := 0
	for _, it := range items {
		if s.handle(ctx, it) == nil {
			n++
		}
	}
	return n
}

// Replay hands previously failed items to the handler again, timing the
// whole pass, and returns how many now succeed.
func (s *Stage) Replay(ctx context.Context, items []Item) int {
	defer s.trace(s.name + ".replay") // HAZ defer-func-result-not-called
	n := 0
	for _, it := range items {
		err := s.handle(ctx, it)
		s.count(err)
		if err == nil {
			n++
		}
	}
	return n
}

// FanOut flushes items through every stage concurrently and returns each
// stage's error, in stage order.
func FanOut(ctx context.Context, stages []*Stage, items []Item) []error {
	errs := make([]error, len(stages))
	var wg sync.WaitGroup
	for i, st := range stages {
		i, st := i, st
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = st.Flush(ctx, items)
		}()
	}
	wg.Wait()
	return errs
}
