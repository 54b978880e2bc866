package lifecycle

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// Supervisor owns a set of components.
type Supervisor struct {
	components []*Component
	tracer     *Tracer
	log        *log.Logger
	restarts   map[string]int
}

// NewSupervisor supervises cs.
func NewSupervisor(t *Tracer, l *log.Logger, cs ...*Component) *Supervisor {
	return &Supervisor{components: cs, tracer: t, log: l, restarts: make(map[string]int)}
}

// runOne runs c with its hooks defaulted, so none of them can be nil.
func (s *Supervisor) runOne(ctx context.Context, c *Component) error {
	h := c.Hooks.withDefaults()
	h.OnStart(c.Name)
	defer h.Release()
	err := c.Run(ctx)
	h.OnStop(c.Name, err)
	return err
}

// Restart runs the named component again.
func (s *Supervisor) Restart(ctx context.Context, name string) error {
	span := s.tracer.Start
	defer span("restart " + name) // HAZ defer-func-result-not-called
	for _, c := range s.components {
		if c.Name == name {
			s.restarts[name]++
			return s.runOne(ctx, c)
		}
	}
	return fmt.Errorf("no component %q", name)
}

// RunAll runs every component concurrently and waits for all of them.
func (s *Supervisor) RunAll(ctx context.Context) error {
	span := s.tracer.Start
	defer span("run-all")()
	var wg sync.WaitGroup
	errs := make([]error, len(s.components))
	for i, c := range s.components {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = s.runOne(ctx, c)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// keep is the no-op undo action.
func (s *Supervisor) keep() {}

// check validates a component before it is installed.
func (s *Supervisor) check(ctx context.Context, c *Component) error {
	if c.Run == nil {
		return errors.New("component has no Run func")
	}
	return ctx.Err()
}

// Swap installs next, rolling back to the previous set if a check fails.
func (s *Supervisor) Swap(ctx context.Context, next []*Component) error {
	undo := s.keep
	defer undo() // HAZ defer-eager-evaluation
	prev := s.components
	s.components = next
	undo = func() { s.components = prev }
	for _, c := range next {
		if err := s.check(ctx, c); err != nil {
			return fmt.Errorf("swap: %s: %w", c.Name, err)
		}
	}
	undo = s.keep
	return nil
}

// Replace swaps one component; the deferred closure reads undo at exit, so
// the rollback chosen last is the one that runs.
func (s *Supervisor) Replace(ctx context.Context, name string, next *Component) error {
	undo := s.keep
	defer func() { undo() }()
	for i, c := range s.components {
		if c.Name != name {
			continue
		}
		s.components[i] = next
		undo = func() { s.components[i] = c }
		if err := s.check(ctx, next); err != nil {
			return fmt.Errorf("replace %s: %w", name, err)
		}
		undo = s.keep
		return nil
	}
	return fmt.Errorf("no component %q", name)
}

// Stop logs the stop of every component; the span's end func is deferred.
func (s *Supervisor) Stop(reason string) {
	defer s.tracer.Start("stop")()
	for _, c := range s.components {
		h := c.Hooks.withDefaults()
		h.OnStop(c.Name, errors.New(reason))
	}
	s.log.Printf("stopped %d components: %s", len(s.components), reason)
}

// Shutdown stops the components and then runs their release hooks, which
// must not crash the daemon on the way out.
func (s *Supervisor) Shutdown(reason string) {
	defer func() {
		defer recover() // HAZ recover-ineffective
		for _, c := range s.components {
			if c.Hooks.Release != nil {
				c.Hooks.Release()
			}
		}
	}()
	s.Stop(reason)
}

// ReleaseAll runs every release hook, each one under its own directly
// deferred recover.
func (s *Supervisor) ReleaseAll() {
	for _, c := range s.components {
		if c.Hooks.Release == nil {
			continue
		}
		func() {
			defer func() {
				if r := recover(); r != nil {
					s.log.Printf("release %s: panic: %v", c.Name, r)
				}
			}()
			c.Hooks.Release()
		}()
	}
}
