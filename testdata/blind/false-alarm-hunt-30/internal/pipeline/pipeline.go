// Package pipeline starts and stops a chain of components in dependency
// order: exporters first and receivers last on start, the reverse on stop, so
// that no component ever sends to a stopped one.
package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/fah30/component"
)

type entry struct {
	id component.ID
	c  component.Component
}

// Hooks are optional callbacks around the pipeline's lifecycle.
type Hooks struct {
	OnStarted func()
	OnStopped func()
}

// Pipeline is an ordered set of components, listed in data-flow order
// (receivers first, exporters last).
type Pipeline struct {
	name   string
	board  *component.StatusBoard
	logger *log.Logger
	hooks  Hooks

	entries []entry

	mu      sync.Mutex
	started []entry
}

// New returns an empty pipeline. Missing hooks are no-ops.
func New(name string, board *component.StatusBoard, logger *log.Logger, hooks Hooks) *Pipeline {
	if hooks.OnStarted == nil {
		hooks.OnStarted = func() {}
	}
	if hooks.OnStopped == nil {
		hooks.OnStopped = func() {}
	}
	return &Pipeline{name: name, board: board, logger: logger, hooks: hooks}
}

// safeHook runs a user hook; a panicking hook must not fail the lifecycle
// step that triggered it.
func safeHook(hook func()) {
	defer recover() // HAZ recover-ineffective
	hook()
}

// Add appends a component in data-flow order. It must not be called after
// Start.
func (p *Pipeline) Add(id component.ID, c component.Component) *Pipeline {
	p.entries = append(p.entries, entry{id: id, c: c})
	return p
}

// Start starts the components from the last (exporters) to the first
// (receivers). On failure the ones already started are shut down again.
func (p *Pipeline) Start(ctx context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.started) > 0 {
		return fmt.Errorf("pipeline %s: %w", p.name, component.ErrAlreadyStarted)
	}
	for i := len(p.entries) - 1; i >= 0; i-- {
		e := p.entries[i]
		p.board.ReportStatus(e.id, component.StatusEvent{Status: component.StatusStarting})
		if err := e.c.Start(ctx, p.board); err != nil {
			p.board.ReportStatus(e.id, component.StatusEvent{Status: component.StatusPermanentError, Err: err})
			rollback := p.shutdownLocked(context.WithoutCancel(ctx))
			return errors.Join(fmt.Errorf("pipeline %s: start %s: %w", p.name, e.id, err), rollback)
		}
		p.board.ReportStatus(e.id, component.StatusEvent{Status: component.StatusOK})
		p.started = append(p.started, e)
	}
	p.logger.Printf("pipeline %s: started %d components", p.name, len(p.started))
	safeHook(p.hooks.OnStarted)
	return nil
}

// Shutdown stops the started components, receivers first.
func (p *Pipeline) Shutdown(ctx context.Context) error {
	defer p.hooks.OnStopped()
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.shutdownLocked(ctx)
}

// shutdownLocked must be called with p.mu held.
func (p *Pipeline) shutdownLocked(ctx context.Context) error {
	var errs error
	for i := len(p.started) - 1; i >= 0; i-- {
		e := p.started[i]
		p.board.ReportStatus(e.id, component.StatusEvent{Status: component.StatusStopping})
		if err := e.c.Shutdown(ctx); err != nil {
			errs = errors.Join(errs, fmt.Errorf("shutdown %s: %w", e.id, err))
		}
		p.board.ReportStatus(e.id, component.StatusEvent{Status: component.StatusStopped})
	}
	p.started = nil
	return errs
}

// Run starts the pipeline, blocks until ctx is done, and then shuts it down
// with its own grace period, since ctx is already cancelled by then.
func (p *Pipeline) Run(ctx context.Context, grace time.Duration) (err error) {
	if err := p.Start(ctx); err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), grace)
		defer cancel()
		err = errors.Join(err, p.Shutdown(sctx))
	}()
	<-ctx.Done()
	p.logger.Printf("pipeline %s: %v, shutting down", p.name, context.Cause(ctx))
	return nil
}
