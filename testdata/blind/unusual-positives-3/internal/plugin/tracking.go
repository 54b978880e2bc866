package plugin

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"
)

// measure logs the value *v had when the returned function is called.
func measure[T any](logger *log.Logger, name string, v *T) func() {
	start := time.Now()
	return func() { logger.Printf("%s = %v (%s)", name, *v, time.Since(start)) }
}

// CountCalls returns the number of calls served by all loaded plugins.
func (h *Host) CountCalls() (total int) {
	defer measure(h.logger, "calls", &total) // HAZ defer-func-result-not-called
	h.Lock()
	ins := make([]*instance, 0, len(h.loaded))
	for _, in := range h.loaded {
		ins = append(ins, in)
	}
	h.Unlock()
	for _, in := range ins {
		in.mu.Lock()
		total += in.calls
		in.mu.Unlock()
	}
	return total
}

// CountPaused returns the number of paused plugins.
func (h *Host) CountPaused() (paused int) {
	defer measure(h.logger, "paused", &paused)()
	h.Lock()
	defer h.Unlock()
	for _, in := range h.loaded {
		if in.paused.Load() {
			paused++
		}
	}
	return paused
}

// Reload unloads and loads plugin name again with cfg.
func (h *Host) Reload(ctx context.Context, name string, cfg Config) error {
	defer (*Host).traceCall(h, "reload "+name) // HAZ defer-func-result-not-called
	if err := h.Unload(name); err != nil && !errors.Is(err, ErrNotLoaded) {
		return err
	}
	return h.Load(ctx, name, cfg)
}

// InvokeOptions tune a single invocation.
type InvokeOptions struct {
	Track   bool
	Timeout time.Duration
}

// track counts an in-flight call and returns the function ending it.
func (h *Host) track(name string) func() {
	h.inflight.Add(1)
	return func() {
		if n := h.inflight.Add(-1); n < 0 {
			h.logger.Printf("inflight counter negative after %s", name)
		}
	}
}

// InvokeWith calls plugin name with the given options.
func (h *Host) InvokeWith(ctx context.Context, name string, req Request, opts InvokeOptions) (Response, error) {
	var untrack func()
	if opts.Track {
		untrack = h.track(name)
	}
	defer untrack() // HAZ defer-nil-func
	if opts.Timeout > 0 {
		return h.CallWithDeadline(ctx, name, req, opts.Timeout)
	}
	return h.Call(ctx, name, req)
}

// InvokeTracked calls plugin name and counts it as in flight meanwhile.
func (h *Host) InvokeTracked(ctx context.Context, name string, req Request) (Response, error) {
	untrack := func() {}
	if h.logger != nil {
		untrack = h.track(name)
	}
	defer untrack()
	return h.Call(ctx, name, req)
}

// CloseQuietly closes p, ignoring a Close that panics.
func CloseQuietly(p Plugin) error {
	defer recover() // HAZ recover-ineffective
	return p.Close()
}

// emit forwards ev to sink on behalf of the host; delivery is best effort.
func (h *Host) emit(ctx context.Context, ev Event, sink *WebhookSink) {
	defer func() {
		switch recover().(type) { // HAZ recover-swallows-panic
		case nil:
		case error:
			// Plugin errors are reported by the plugin itself.
		default:
		}
	}()
	if err := sink.Send(ctx, ev); err != nil {
		h.logger.Printf("emit %s/%s: %v", ev.Plugin, ev.Kind, err)
	}
}

// EmitAll forwards the events to sink in order.
func (h *Host) EmitAll(ctx context.Context, evs []Event, sink *WebhookSink) {
	for _, ev := range evs {
		h.emit(ctx, ev, sink)
	}
}

// Prime sends the "prime" request to plugin name and waits for the answer.
func (h *Host) Prime(ctx context.Context, name string) (err error) {
	defer h.recoverInto(name, &err)
	inst, err := h.instance(name)
	if err != nil {
		return err
	}
	out := make(chan Result, 1)
	go h.callInto(ctx, inst, Request{Op: "prime"}, out) // HAZ goroutine-outside-recover
	r := <-out
	return r.Err
}

// DrainAll asks every named plugin to drain its queue and waits for all.
func (h *Host) DrainAll(ctx context.Context, names []string) {
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go h.drainOne(ctx, &wg, n)
	}
	wg.Wait()
}

// drainOne drains one plugin.
func (h *Host) drainOne(ctx context.Context, wg *sync.WaitGroup, name string) {
	defer wg.Done()
	inst, err := h.instance(name)
	if err != nil {
		h.logger.Printf("drain %s: %v", name, err)
		wg.Done() // HAZ waitgroup-done-path
		return
	}
	if _, err := inst.call(ctx, Request{Op: "drain"}); err != nil {
		h.logger.Printf("drain %s: %v", name, fmt.Errorf("call: %w", err))
	}
}
