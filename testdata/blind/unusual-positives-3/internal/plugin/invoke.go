package plugin

import (
	"context"
	"encoding/json"
	"fmt"
	"runtime/debug"
	"sync"
	"time"
)

// Result carries a plugin response across goroutines.
type Result struct {
	Name string
	Resp Response
	Err  error
}

// CallWithTimeout invokes a plugin in its own goroutine so that a stuck
// plugin cannot hold the caller past d.
func (h *Host) CallWithTimeout(ctx context.Context, name string, req Request, d time.Duration) (Response, error) {
	inst, err := h.instance(name)
	if err != nil {
		return Response{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	out := make(chan Result)
	go h.callInto(ctx, inst, req, out) // HAZ goroutine-blocked-send
	select {
	case r := <-out:
		return r.Resp, r.Err
	case <-ctx.Done():
		return Response{}, fmt.Errorf("plugin %s: %w", name, ctx.Err())
	}
}

// callInto performs the call and reports the result on out.
func (h *Host) callInto(ctx context.Context, inst *instance, req Request, out chan<- Result) {
	resp, err := inst.call(ctx, req)
	out <- Result{Name: inst.name, Resp: resp, Err: err}
}

// CallWithDeadline is CallWithTimeout whose worker gives up on delivery once
// the caller has left.
func (h *Host) CallWithDeadline(ctx context.Context, name string, req Request, d time.Duration) (Response, error) {
	inst, err := h.instance(name)
	if err != nil {
		return Response{}, err
	}
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	out := make(chan Result)
	go h.deliver(ctx, inst, req, out)
	select {
	case r := <-out:
		return r.Resp, r.Err
	case <-ctx.Done():
		return Response{}, fmt.Errorf("plugin %s: %w", name, ctx.Err())
	}
}

// deliver performs the call and hands the result over unless ctx ended.
func (h *Host) deliver(ctx context.Context, inst *instance, req Request, out chan<- Result) {
	resp, err := inst.call(ctx, req)
	select {
	case out <- Result{Name: inst.name, Resp: resp, Err: err}:
	case <-ctx.Done():
	}
}

// CallAsync starts a call and returns the channel its result arrives on.
func (h *Host) CallAsync(ctx context.Context, name string, req Request) <-chan Result {
	out := make(chan Result, 1)
	go func() {
		inst, err := h.instance(name)
		if err != nil {
			out <- Result{Name: name, Err: err}
			return
		}
		resp, err := inst.call(ctx, req)
		out <- Result{Name: name, Resp: resp, Err: err}
	}()
	return out
}

// FirstHealthy probes the named plugins and returns the first healthy one.
func (h *Host) FirstHealthy(ctx context.Context, names []string) (string, error) {
	healthy := make(chan string, len(names))
	defer close(healthy) // HAZ defer-close-chan-with-sender
	for _, n := range names {
		go h.probe(ctx, n, healthy)
	}
	select {
	case name := <-healthy:
		return name, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// probe reports name on out if the plugin answers its health check.
func (h *Host) probe(ctx context.Context, name string, out chan<- string) {
	resp, err := h.CallWithDeadline(ctx, name, Request{Op: "health"}, time.Second)
	if err == nil && resp.Status == 200 {
		out <- name
	}
}

// BroadcastAll sends req to every loaded plugin and collects the results.
func (h *Host) BroadcastAll(ctx context.Context, req Request) map[string]Result {
	names := h.Names()
	results := make(chan Result, len(names))
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.CallWithDeadline(ctx, n, req, 2*time.Second)
			results <- Result{Name: n, Resp: resp, Err: err}
		}()
	}
	wg.Wait()
	close(results)
	out := make(map[string]Result, len(names))
	for r := range results {
		out[r.Name] = r
	}
	return out
}

// Gather calls every named plugin and returns the results in arrival order.
func (h *Host) Gather(ctx context.Context, names []string, req Request) []Result {
	ch := make(chan Result, len(names))
	defer close(ch)
	var wg sync.WaitGroup
	for _, n := range names {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := h.CallWithDeadline(ctx, n, req, time.Second)
			ch <- Result{Name: n, Resp: resp, Err: err}
		}()
	}
	wg.Wait()
	out := make([]Result, 0, len(names))
	for range names {
		out = append(out, <-ch)
	}
	return out
}

// Meta is the self-description a plugin returns for the "meta" op.
type Meta struct {
	Version string   `json:"version"`
	Ops     []string `json:"ops"`
}

// Description summarises a loaded plugin for the admin API.
type Description struct {
	Name   string        `json:"name"`
	Calls  int           `json:"calls"`
	Uptime time.Duration `json:"uptime"`
	Meta   Meta          `json:"meta"`
}

// Describe returns the description of plugin name. The plugin's metadata is
// fetched concurrently with the local bookkeeping.
func (h *Host) Describe(ctx context.Context, name string) (Description, error) {
	metaCh := make(chan Meta)
	go func() {
		metaCh <- h.fetchMeta(ctx, name) // HAZ goroutine-blocked-send
	}()
	inst, err := h.instance(name)
	if err != nil {
		return Description{}, err
	}
	inst.mu.Lock()
	calls := inst.calls
	inst.mu.Unlock()
	return Description{Name: name, Calls: calls, Uptime: time.Since(inst.started), Meta: <-metaCh}, nil
}

// fetchMeta asks plugin name for its metadata.
func (h *Host) fetchMeta(ctx context.Context, name string) Meta {
	resp, err := h.CallWithDeadline(ctx, name, Request{Op: "meta"}, time.Second)
	if err != nil {
		return Meta{}
	}
	var m Meta
	if json.Unmarshal(resp.Body, &m) != nil {
		return Meta{}
	}
	return m
}

// StartBackground starts the background loop of plugin name, if it has one.
func (h *Host) StartBackground(ctx context.Context, name string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin %s: start panicked: %v", name, r)
		}
	}()
	inst, err := h.instance(name)
	if err != nil {
		return err
	}
	bg, ok := inst.p.(Background)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	inst.mu.Lock()
	inst.done = make(chan struct{})
	inst.cancel = cancel
	inst.mu.Unlock()
	h.wg.Add(1)
	go h.runBackground(ctx, inst, bg) // HAZ goroutine-outside-recover
	return nil
}

// StartSupervised is StartBackground for plugins that are allowed to crash:
// the loop runs under safeRun, which recovers in the new goroutine.
func (h *Host) StartSupervised(ctx context.Context, name string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugin %s: start panicked: %v", name, r)
		}
	}()
	inst, err := h.instance(name)
	if err != nil {
		return err
	}
	bg, ok := inst.p.(Background)
	if !ok {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	inst.mu.Lock()
	inst.done = make(chan struct{})
	inst.cancel = cancel
	inst.mu.Unlock()
	h.wg.Add(1)
	go h.safeRun(name, func() { h.runBackground(ctx, inst, bg) })
	return nil
}

// runBackground runs bg until ctx ends and then signals completion.
func (h *Host) runBackground(ctx context.Context, inst *instance, bg Background) {
	defer h.wg.Done()
	defer close(inst.done)
	bg.Run(ctx)
}

// safeRun runs fn, logging instead of crashing if it panics.
func (h *Host) safeRun(name string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			h.logger.Printf("plugin %s: background panic: %v\n%s", name, r, debug.Stack())
		}
	}()
	fn()
}

// WarmAll sends a warm-up request to every named plugin concurrently.
func (h *Host) WarmAll(ctx context.Context, names []string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, n := range names {
		wg.Add(1)
		go h.warm(ctx, &wg, n, &errs[i])
	}
	wg.Wait()
	return errs
}

// warm sends the warm-up request to one plugin.
func (h *Host) warm(ctx context.Context, wg *sync.WaitGroup, name string, errp *error) {
	inst, err := h.instance(name)
	if err != nil {
		*errp = err
		return
	}
	_, *errp = inst.call(ctx, Request{Op: "warm"})
	wg.Done() // HAZ waitgroup-done-path
}

// CoolAll is the counterpart of WarmAll; the worker always signals.
func (h *Host) CoolAll(ctx context.Context, names []string) []error {
	var wg sync.WaitGroup
	errs := make([]error, len(names))
	for i, n := range names {
		wg.Add(1)
		go h.cool(ctx, &wg, n, &errs[i])
	}
	wg.Wait()
	return errs
}

// cool sends the cool-down request to one plugin.
func (h *Host) cool(ctx context.Context, wg *sync.WaitGroup, name string, errp *error) {
	defer wg.Done()
	inst, err := h.instance(name)
	if err != nil {
		*errp = err
		return
	}
	_, *errp = inst.call(ctx, Request{Op: "cool"})
}
