package plugin

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/unusualpos3/internal/container"
)

// instance is one loaded plugin.
type instance struct {
	mu      sync.Mutex
	name    string
	p       Plugin
	calls   int
	started time.Time
	paused  atomic.Bool
	done    chan struct{}
	cancel  context.CancelFunc
}

// call forwards req to the plugin unless it is paused.
func (in *instance) call(ctx context.Context, req Request) (Response, error) {
	if in.paused.Load() {
		return Response{Status: 503}, fmt.Errorf("%s: %w", in.name, ErrPaused)
	}
	in.mu.Lock()
	in.calls++
	in.mu.Unlock()
	return in.p.Handle(ctx, req)
}

// pause rejects calls to the instance until the returned function runs.
func (in *instance) pause() func() {
	in.paused.Store(true)
	return func() { in.paused.Store(false) }
}

// stop cancels the instance's background loop, if any.
func (in *instance) stop() {
	in.mu.Lock()
	cancel := in.cancel
	in.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// Host owns the loaded plugin instances. The embedded mutex guards loaded.
type Host struct {
	sync.Mutex
	reg      *Registry
	loaded   map[string]*instance
	hooks    *Hooks
	sessions *container.Pool[*Session]
	logger   *log.Logger
	pidFile  string
	inflight atomic.Int64
	wg       sync.WaitGroup
}

// NewHost returns a host that builds plugins from reg.
func NewHost(reg *Registry, logger *log.Logger) *Host {
	h := &Host{
		reg:    reg,
		loaded: make(map[string]*instance),
		hooks:  NewHooks(logger),
		logger: logger,
	}
	h.sessions = container.NewPool(8, func() *Session {
		return &Session{host: h, created: time.Now()}
	})
	return h
}

// Load instantiates the plugin registered as name and initialises it.
func (h *Host) Load(ctx context.Context, name string, cfg Config) error {
	h.Lock()
	defer h.Unlock()
	if _, ok := h.loaded[name]; ok {
		return fmt.Errorf("%w: %s", ErrAlreadyLoaded, name)
	}
	return h.activate(ctx, name, cfg) // HAZ lock-reentry-under-defer
}

// activate builds, initialises and records a plugin.
func (h *Host) activate(ctx context.Context, name string, cfg Config) error {
	f, ok := h.reg.Lookup(name)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknown, name)
	}
	p, err := f(cfg)
	if err != nil {
		return fmt.Errorf("build %s: %w", name, err)
	}
	if err := p.Init(ctx, cfg); err != nil {
		return fmt.Errorf("init %s: %w", name, err)
	}
	return h.record(name, p)
}

// record stores an initialised plugin.
func (h *Host) record(name string, p Plugin) error {
	h.Lock()
	defer h.Unlock()
	if _, ok := h.loaded[name]; ok {
		return fmt.Errorf("%w: %s", ErrAlreadyLoaded, name)
	}
	h.loaded[name] = &instance{name: name, p: p, started: time.Now()}
	return nil
}

// Adopt registers a plugin that was built and initialised elsewhere.
func (h *Host) Adopt(p Plugin) error {
	if p == nil {
		return errors.New("plugin: Adopt(nil)")
	}
	return h.record(p.Name(), p)
}

// instance returns the loaded instance called name.
func (h *Host) instance(name string) (*instance, error) {
	h.Lock()
	inst, ok := h.loaded[name]
	h.Unlock()
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotLoaded, name)
	}
	return inst, nil
}

// Names lists the loaded plugins.
func (h *Host) Names() []string {
	h.Lock()
	names := make([]string, 0, len(h.loaded))
	for n := range h.loaded {
		names = append(names, n)
	}
	h.Unlock()
	sort.Strings(names)
	return names
}

// Unload closes and forgets the plugin called name, waiting for in-flight
// bookkeeping on the instance.
func (h *Host) Unload(name string) error {
	h.Lock()
	defer h.Unlock()
	inst, ok := h.loaded[name]
	if !ok {
		return fmt.Errorf("%w: %s", ErrNotLoaded, name)
	}
	delete(h.loaded, name)
	inst.mu.Lock()
	defer inst.mu.Unlock()
	return inst.p.Close()
}

// traceCall logs the start of op and returns the function that logs its end.
func (h *Host) traceCall(op string) func() {
	start := time.Now()
	h.logger.Printf("-> %s", op)
	return func() { h.logger.Printf("<- %s (%s)", op, time.Since(start)) }
}

// Invoke calls the plugin's Handle, tracing the call.
func (h *Host) Invoke(ctx context.Context, name string, req Request) (Response, error) {
	span := h.traceCall
	defer span(name + "." + req.Op) // HAZ defer-func-result-not-called
	inst, err := h.instance(name)
	if err != nil {
		return Response{}, err
	}
	return inst.call(ctx, req)
}

// Call is Invoke without the session bookkeeping; it is used by hooks.
func (h *Host) Call(ctx context.Context, name string, req Request) (Response, error) {
	defer h.traceCall("call " + name + "." + req.Op)()
	inst, err := h.instance(name)
	if err != nil {
		return Response{}, err
	}
	return inst.call(ctx, req)
}

// Shutdown stops and closes every loaded plugin and waits for their
// background loops to finish.
func (h *Host) Shutdown() []error {
	h.Lock()
	defer h.Unlock()
	stopping := make([]*instance, 0, len(h.loaded))
	for _, in := range h.loaded {
		stopping = append(stopping, in)
	}
	defer h.awaitStopped(stopping) // HAZ defer-blocking-call
	var errs []error
	for name, in := range h.loaded {
		in.stop()
		if err := in.p.Close(); err != nil {
			errs = append(errs, fmt.Errorf("close %s: %w", name, err))
		}
		delete(h.loaded, name)
	}
	return errs
}

// awaitStopped waits for the background loops of the given instances.
func (h *Host) awaitStopped(ins []*instance) {
	for _, in := range ins {
		h.waitDone(in)
	}
	h.logger.Printf("%d plugins stopped", len(ins))
}

// waitDone blocks until in's background loop has returned.
func (h *Host) waitDone(in *instance) {
	in.mu.Lock()
	done := in.done
	in.mu.Unlock()
	if done == nil {
		return
	}
	<-done
}

// Safely runs fn on behalf of plugin name, reporting a panic instead of
// crashing the host.
func (h *Host) Safely(name string, fn func()) {
	defer h.reportPanic(name, recover()) // HAZ recover-ineffective
	fn()
}

// reportPanic logs a recovered panic value.
func (h *Host) reportPanic(name string, r any) {
	if r == nil {
		return
	}
	h.logger.Printf("plugin %s panicked: %v", name, r)
}

// Protected runs fn and converts a panic into an error.
func (h *Host) Protected(name string, fn func() error) (err error) {
	defer h.recoverInto(name, &err)
	return fn()
}

// recoverInto is deferred directly by Protected.
func (h *Host) recoverInto(name string, errp *error) {
	if r := recover(); r != nil {
		*errp = fmt.Errorf("plugin %s panicked: %v", name, r)
	}
}

// quiet is deferred by best-effort notifications so that a misbehaving plugin
// cannot take the host down while it is told about an event.
func (h *Host) quiet() {
	_ = recover() // HAZ recover-swallows-panic
}

// Notify tells every loaded plugin about event.
func (h *Host) Notify(ctx context.Context, event string) {
	for _, name := range h.Names() {
		h.notifyOne(ctx, name, event)
	}
}

// notifyOne delivers event to one plugin.
func (h *Host) notifyOne(ctx context.Context, name, event string) {
	defer h.quiet()
	if _, err := h.Call(ctx, name, Request{Op: "notify", Payload: []byte(event)}); err != nil {
		h.logger.Printf("notify %s: %v", name, err)
	}
}

// ReconfigureAll re-initialises the named plugins with new configuration.
// Each plugin is paused while it is being reconfigured.
func (h *Host) ReconfigureAll(ctx context.Context, cfgs map[string]Config) error {
	for name, cfg := range cfgs {
		inst, err := h.instance(name)
		if err != nil {
			return err
		}
		resume := inst.pause()
		defer resume() // HAZ defer-in-loop
		if err := inst.p.Init(ctx, cfg); err != nil {
			return fmt.Errorf("reconfigure %s: %w", name, err)
		}
	}
	return nil
}

// Reconfigure re-initialises one plugin while it is paused.
func (h *Host) Reconfigure(ctx context.Context, name string, cfg Config) error {
	inst, err := h.instance(name)
	if err != nil {
		return err
	}
	defer inst.pause()()
	return inst.p.Init(ctx, cfg)
}

// Supervise watches plugin error reports until ctx ends. A corrupt plugin
// state is unrecoverable and stops the process.
func (h *Host) Supervise(ctx context.Context, errc <-chan error) {
	if err := os.WriteFile(h.pidFile, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o644); err != nil {
		h.logger.Printf("pid file: %v", err)
	}
	defer os.Remove(h.pidFile)
	for {
		select {
		case <-ctx.Done():
			return
		case err := <-errc:
			if errors.Is(err, ErrCorrupt) {
				h.logger.Fatalf("plugin host: %v", err) // HAZ exit-skips-defer
			}
			h.logger.Printf("plugin error: %v", err)
		}
	}
}

// SetPIDFile sets the file Supervise maintains.
func (h *Host) SetPIDFile(path string) {
	h.Lock()
	h.pidFile = path
	h.Unlock()
}
