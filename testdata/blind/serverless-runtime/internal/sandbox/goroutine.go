package sandbox

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
)

// HandlerFunc is a built-in function that runs inside the runtime process.
type HandlerFunc func(ctx context.Context, payload []byte) ([]byte, error)

type call struct {
	ctx     context.Context
	payload []byte
	reply   chan result
}

type result struct {
	out []byte
	err error
}

// GoroutineSandbox runs a built-in handler on a dedicated goroutine, so
// that built-ins get the same one-at-a-time semantics as process sandboxes.
type GoroutineSandbox struct {
	id, fn    string
	h         HandlerFunc
	reqs      chan call
	quit      chan struct{}
	stopOnce  sync.Once
	dead      atomic.Bool
	lastPanic atomic.Value
}

// NewGoroutineSandbox starts the sandbox's worker goroutine.
func NewGoroutineSandbox(id, fn string, h HandlerFunc) *GoroutineSandbox {
	g := &GoroutineSandbox{
		id:   id,
		fn:   fn,
		h:    h,
		reqs: make(chan call),
		quit: make(chan struct{}),
	}
	go g.loop()
	return g
}

// loop serves calls until the sandbox is killed.
func (g *GoroutineSandbox) loop() {
	defer func() {
		g.stopOnce.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				g.lastPanic.Store(fmt.Sprint(r))
			}
			close(g.quit)
		})
		g.dead.Store(true)
	}()
	for {
		select {
		case c := <-g.reqs:
			out, err := g.run(c.ctx, c.payload)
			c.reply <- result{out: out, err: err}
		case <-g.quit:
			return
		}
	}
}

// run calls the handler, turning a panic into an error.
func (g *GoroutineSandbox) run(ctx context.Context, payload []byte) (out []byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			g.lastPanic.Store(fmt.Sprint(r))
			out, err = nil, fmt.Errorf("%w: %s: %v", ErrHandlerPanic, g.fn, r)
		}
	}()
	return g.h(ctx, payload)
}

// ID implements Sandbox.
func (g *GoroutineSandbox) ID() string { return g.id }

// Function implements Sandbox.
func (g *GoroutineSandbox) Function() string { return g.fn }

// Alive implements Sandbox.
func (g *GoroutineSandbox) Alive() bool { return !g.dead.Load() }

// Kill implements Sandbox.
func (g *GoroutineSandbox) Kill() {
	g.stopOnce.Do(func() { close(g.quit) })
	g.dead.Store(true)
}

// Invoke implements Sandbox. The reply channel has room for the worker's
// single send, so a caller that gives up never strands the worker.
func (g *GoroutineSandbox) Invoke(ctx context.Context, payload []byte) ([]byte, error) {
	if g.dead.Load() {
		return nil, ErrDead
	}
	c := call{ctx: ctx, payload: payload, reply: make(chan result, 1)}
	select {
	case g.reqs <- c:
	case <-g.quit:
		return nil, ErrDead
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case r := <-c.reply:
		return r.out, r.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// InvokeBatch runs several payloads concurrently, bypassing the worker
// goroutine. Each worker goes through run, which recovers handler panics;
// the deferred recover here covers the result assembly.
func (g *GoroutineSandbox) InvokeBatch(ctx context.Context, payloads [][]byte) (outs [][]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			outs, err = nil, fmt.Errorf("%w: %s batch: %v", ErrHandlerPanic, g.fn, r)
		}
	}()
	if g.dead.Load() {
		return nil, ErrDead
	}
	outs = make([][]byte, len(payloads))
	errs := make([]error, len(payloads))
	var wg sync.WaitGroup
	for i, p := range payloads {
		wg.Add(1)
		go func() {
			defer wg.Done()
			outs[i], errs[i] = g.run(ctx, p)
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != nil {
			errs[i] = fmt.Errorf("payload %d: %w", i, e)
		}
	}
	return outs, errors.Join(errs...)
}

// InvokeEach is like InvokeBatch for handlers that are known not to keep
// state between calls: it calls the handler directly.
func (g *GoroutineSandbox) InvokeEach(ctx context.Context, payloads [][]byte) (outs [][]byte, err error) {
	defer func() {
		if r := recover(); r != nil {
			outs, err = nil, fmt.Errorf("%w: %s: %v", ErrHandlerPanic, g.fn, r)
		}
	}()
	outs = make([][]byte, len(payloads))
	errs := make([]error, len(payloads))
	var wg sync.WaitGroup
	for i, p := range payloads {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			outs[i], errs[i] = g.h(ctx, p)
		}()
	}
	wg.Wait()
	return outs, errors.Join(errs...)
}
