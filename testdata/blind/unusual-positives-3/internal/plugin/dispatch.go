package plugin

import (
	"context"
	"fmt"
	"log"
	"time"

	"example.com/unusualpos3/internal/container"
)

// Tracer starts a span and returns the function that ends it.
type Tracer interface {
	Start(op string) func()
}

// Dispatcher routes requests to plugins by operation name.
type Dispatcher struct {
	host     *Host
	tracer   Tracer
	routes   map[string]string
	cleanups map[string]func()
	meta     *container.Registry[string, Meta]
	sink     *WebhookSink
	logger   *log.Logger
}

// NewDispatcher returns a dispatcher routing ops to plugins.
func NewDispatcher(host *Host, tracer Tracer, routes map[string]string, logger *log.Logger) *Dispatcher {
	return &Dispatcher{
		host:     host,
		tracer:   tracer,
		routes:   routes,
		cleanups: make(map[string]func()),
		meta:     container.NewRegistry[string, Meta](),
		logger:   logger,
	}
}

// Dispatch sends req to the plugin that serves req.Op.
func (d *Dispatcher) Dispatch(ctx context.Context, req Request) (Response, error) {
	defer d.tracer.Start("dispatch " + req.Op) // HAZ defer-func-result-not-called
	name, ok := d.routes[req.Op]
	if !ok {
		return Response{Status: 404}, fmt.Errorf("no plugin serves %q", req.Op)
	}
	return d.host.Call(ctx, name, req)
}

// DispatchTraced is Dispatch with the span ended on return.
func (d *Dispatcher) DispatchTraced(ctx context.Context, req Request) (Response, error) {
	defer d.tracer.Start("dispatch " + req.Op)()
	name, ok := d.routes[req.Op]
	if !ok {
		return Response{Status: 404}, fmt.Errorf("no plugin serves %q", req.Op)
	}
	return d.host.Call(ctx, name, req)
}

// Complete dispatches req and runs the cleanup registered for its op.
func (d *Dispatcher) Complete(ctx context.Context, req Request) (Response, error) {
	cleanup, _ := d.cleanups[req.Op]
	defer cleanup() // HAZ defer-nil-func
	return d.Dispatch(ctx, req)
}

// guard runs fn; it is deferred around dispatches.
func (d *Dispatcher) guard(fn func()) {
	fn()
}

// DispatchSafe is Dispatch that reports a panicking plugin as an error.
func (d *Dispatcher) DispatchSafe(ctx context.Context, req Request) (resp Response, err error) {
	defer d.guard(func() {
		if r := recover(); r != nil { // HAZ recover-ineffective
			resp, err = Response{Status: 500}, fmt.Errorf("dispatch %s: panic: %v", req.Op, r)
		}
	})
	return d.DispatchTraced(ctx, req)
}

// refreshMeta fetches the metadata of plugin name and delivers it on out.
func (d *Dispatcher) refreshMeta(ctx context.Context, name string, out chan<- Meta) {
	out <- d.host.fetchMeta(ctx, name)
}

// Meta returns the metadata of plugin name, refreshed if it arrives at once
// and cached otherwise.
func (d *Dispatcher) Meta(ctx context.Context, name string) Meta {
	res := make(chan Meta)
	go d.refreshMeta(ctx, name, res) // HAZ goroutine-blocked-send
	select {
	case m := <-res:
		d.meta.Set(name, m)
		return m
	default:
		m, _ := d.meta.Get(name)
		return m
	}
}

// Rename moves a loaded plugin to a new name.
func (h *Host) Rename(oldName, newName string) error {
	h.Lock() // HAZ lock-leaked-on-return
	inst, ok := h.loaded[oldName]
	if !ok {
		h.Unlock()
		return fmt.Errorf("%w: %s", ErrNotLoaded, oldName)
	}
	if inst.name != oldName {
		h.logger.Panicf("plugin: instance %s registered as %s", inst.name, oldName)
	}
	if _, dup := h.loaded[newName]; dup {
		h.Unlock()
		return fmt.Errorf("%w: %s", ErrAlreadyLoaded, newName)
	}
	delete(h.loaded, oldName)
	inst.name = newName
	h.loaded[newName] = inst
	h.Unlock()
	return nil
}

// announce tells the webhook sink that op was dispatched.
func (d *Dispatcher) announce(op string) {
	if d.sink == nil {
		return
	}
	if err := d.sink.Send(context.Background(), Event{Plugin: "dispatcher", Kind: op, At: time.Now()}); err != nil {
		d.logger.Printf("announce %s: %v", op, err)
	}
}

// DispatchAnnounced dispatches req and announces it afterwards.
func (d *Dispatcher) DispatchAnnounced(ctx context.Context, req Request) (Response, error) {
	defer d.announce(req.Op) // HAZ defer-blocking-call
	return d.DispatchTraced(ctx, req)
}

// Probe sends req to the plugin serving op and waits for its answer.
func (d *Dispatcher) Probe(ctx context.Context, op string, req Request) (Response, error) {
	name := d.routes[op]
	inst, err := d.host.instance(name)
	if err != nil {
		return Response{}, err
	}
	out := make(chan Result)
	go d.host.callInto(ctx, inst, req, out) // HAZ goroutine-blocked-send
	switch {
	case req.Op == "":
		return Response{Status: 400}, fmt.Errorf("probe %s: empty op", op)
	case inst.paused.Load():
		return Response{Status: 503}, ErrPaused
	}
	r := <-out
	return r.Resp, r.Err
}

// job is a periodic maintenance task of the dispatcher.
type job struct {
	name    string
	run     func(ctx context.Context) error
	cleanup func()
}

// RunMaintenance runs the dispatcher's maintenance jobs once.
func (d *Dispatcher) RunMaintenance(ctx context.Context) error {
	jobs := []job{
		{name: "meta", run: func(context.Context) error { d.meta = container.NewRegistry[string, Meta](); return nil }, cleanup: func() { d.logger.Printf("meta cleared") }},
		{name: "routes", run: func(context.Context) error { return d.checkRoutes() }},
	}
	for _, j := range jobs {
		if err := func() error {
			defer j.cleanup() // HAZ defer-nil-func
			return j.run(ctx)
		}(); err != nil {
			return fmt.Errorf("maintenance %s: %w", j.name, err)
		}
	}
	return nil
}

// checkRoutes verifies that every route names a loaded plugin.
func (d *Dispatcher) checkRoutes() error {
	for op, name := range d.routes {
		if _, err := d.host.instance(name); err != nil {
			return fmt.Errorf("route %s: %w", op, err)
		}
	}
	return nil
}
