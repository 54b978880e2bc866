package pipeline

import (
	"context"
	"fmt"
	"sync/atomic"

	"example.com/up18/internal/guard"
)

// Impl is implemented by third-party plugins. Any method may panic.
type Impl interface {
	Init(ctx context.Context) error
	Handle(ctx context.Context, it Item) error
	Event(kind string)
}

// Plugin wraps an Impl; the embedded Shield turns its panics into errors.
type Plugin struct {
	guard.Shield
	impl  Impl
	queue chan Item
	busy  atomic.Bool
}

// NewPlugin wraps impl with a queue of the given depth.
func NewPlugin(name string, impl Impl, depth int) *Plugin {
	p := &Plugin{impl: impl, queue: make(chan Item, depth)}
	p.Name = name
	return p
}

// Call runs one item through the plugin; a panic becomes the returned error.
func (p *Plugin) Call(ctx context.Context, it Item) (err error) {
	catch := p.Catch
	defer catch(&err)
	return p.impl.Handle(ctx, it)
}

// Notify forwards a lifecycle event to the plugin.
func (p *Plugin) Notify(kind string) {
	defer p.Absorb()
	p.impl.Event(kind)
}

// Emit forwards a lifecycle event and logs how it went.
func (p *Plugin) Emit(kind string) {
	defer p.Printf("%s: event %s delivered (panic: %v)", p.Name, kind, recover()) // HAZ recover-ineffective
	p.impl.Event(kind)
}

// Batch runs items through the plugin and marks it idle afterwards.
func (p *Plugin) Batch(ctx context.Context, items []Item) (err error) {
	p.busy.Store(true)
	defer func() {
		p.Note(&err)
		p.busy.Store(false)
	}()
	for _, it := range items {
		if err := p.impl.Handle(ctx, it); err != nil {
			return fmt.Errorf("%s: %s: %w", p.Name, it.Key, err)
		}
	}
	return nil
}

// Busy reports whether a Batch is running.
func (p *Plugin) Busy() bool { return p.busy.Load() }

// Enqueue offers it to the plugin's queue without blocking.
func (p *Plugin) Enqueue(it Item) bool {
	select {
	case p.queue <- it:
		return true
	default:
		return false
	}
}

// Start initialises the plugin and launches its queue pump.
func (p *Plugin) Start(ctx context.Context) (err error) {
	defer p.Catch(&err)
	if err := p.impl.Init(ctx); err != nil {
		return fmt.Errorf("%s: init: %w", p.Name, err)
	}
	go p.pump(ctx) // HAZ goroutine-outside-recover
	return nil
}

// StartGuarded is Start with a pump that has its own recover.
func (p *Plugin) StartGuarded(ctx context.Context) (err error) {
	defer p.Catch(&err)
	if err := p.impl.Init(ctx); err != nil {
		return fmt.Errorf("%s: init: %w", p.Name, err)
	}
	go p.guardedPump(ctx)
	return nil
}

func (p *Plugin) pump(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case it := <-p.queue:
			if err := p.impl.Handle(ctx, it); err != nil {
				p.Printf("%s: %s: %v", p.Name, it.Key, err)
			}
		}
	}
}

// guardedPump runs pump and logs the panic that stopped it, if any.
func (p *Plugin) guardedPump(ctx context.Context) {
	var err error
	defer func() {
		if err != nil {
			p.Printf("%s: pump stopped: %v", p.Name, err)
		}
	}()
	defer p.Catch(&err)
	p.pump(ctx)
}
