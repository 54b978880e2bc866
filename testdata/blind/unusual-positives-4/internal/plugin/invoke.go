package plugin

import (
	"context"
	"fmt"
	"runtime/debug"

	"example.com/unusualpos4/internal/conc"
)

// Invoke runs a plugin, converting a panic into an error.
func (r *Registry) Invoke(ctx context.Context, name string, args []string) (out []byte, err error) {
	p, err := r.lookup(name)
	if err != nil {
		return nil, err
	}
	defer func() {
		if rec := recover(); rec != nil {
			err = fmt.Errorf("plugin %s panicked: %v", name, rec)
		}
	}()
	return p.Exec(ctx, args)
}

// InvokeAudited runs a plugin and appends the outcome to the audit log.
func (r *Registry) InvokeAudited(ctx context.Context, name string, args []string) ([]byte, error) {
	p, err := r.lookup(name)
	if err != nil {
		return nil, err
	}
	defer r.auditPanic(name, recover()) // HAZ recover-ineffective
	return p.Exec(ctx, args)
}

// auditPanic logs the outcome of an invocation.
func (r *Registry) auditPanic(name string, rec any) {
	if rec != nil {
		r.logf("audit: plugin %s panicked: %v", name, rec)
		return
	}
	r.logf("audit: plugin %s ok", name)
}

// logPanic reports a plugin crash with its stack.
func (r *Registry) logPanic(name string) {
	if rec := recover(); rec != nil { // HAZ recover-ineffective
		r.logf("plugin %s crashed: %v\n%s", name, rec, debug.Stack())
	}
}

// Init configures one plugin.
func (r *Registry) Init(ctx context.Context, name string, cfg map[string]string) error {
	p, err := r.lookup(name)
	if err != nil {
		return err
	}
	ini, ok := p.(Initializer)
	if !ok {
		return nil
	}
	defer func() {
		r.logPanic(name)
		r.logf("plugin %s initialised", name)
	}()
	return ini.Init(ctx, cfg)
}

// catch converts a panic into *errp. It must be deferred directly.
func (r *Registry) catch(what string, errp *error) {
	if rec := recover(); rec != nil {
		*errp = fmt.Errorf("plugin: %s: panic: %v", what, rec)
		r.logf("%s", debug.Stack())
	}
}

// InitAll configures every plugin that needs it.
func (r *Registry) InitAll(ctx context.Context, cfg map[string]map[string]string) (err error) {
	defer r.catch("init-all", &err)
	for _, name := range r.Names() {
		p, err := r.lookup(name)
		if err != nil {
			return err
		}
		if ini, ok := p.(Initializer); ok {
			if err := ini.Init(ctx, cfg[name]); err != nil {
				return fmt.Errorf("plugin %s: %w", name, err)
			}
		}
	}
	return nil
}

// Start launches the pollers of every plugin that has one.
func (r *Registry) Start(ctx context.Context) (err error) {
	defer r.catch("start", &err)
	for _, name := range r.Names() {
		p, err := r.lookup(name)
		if err != nil {
			return err
		}
		if poller, ok := p.(Poller); ok {
			go poller.Poll(ctx) // HAZ goroutine-outside-recover
		}
	}
	return nil
}

// StartSupervised launches the pollers under a group that recovers their
// panics; the returned function waits for them.
func (r *Registry) StartSupervised(ctx context.Context) (wait func() error, err error) {
	defer r.catch("start", &err)
	g := &conc.Group{}
	for _, name := range r.Names() {
		p, err := r.lookup(name)
		if err != nil {
			return nil, err
		}
		if poller, ok := p.(Poller); ok {
			g.GoSafe(func() error {
				poller.Poll(ctx)
				return nil
			})
		}
	}
	return g.Wait, nil
}

// Broadcast delivers an event to every listening plugin.
func (r *Registry) Broadcast(ctx context.Context, event string) {
	for _, name := range r.Names() {
		p, err := r.lookup(name)
		if err != nil {
			continue
		}
		l, ok := p.(Listener)
		if !ok {
			continue
		}
		func() {
			defer func() {
				if rec := recover(); rec != nil { // HAZ recover-swallows-panic
					// listeners are best effort
				}
			}()
			l.OnEvent(ctx, event)
		}()
	}
}

// BroadcastLogged delivers an event to every listening plugin, logging a
// listener that panics and carrying on with the others.
func (r *Registry) BroadcastLogged(ctx context.Context, event string) {
	for _, name := range r.Names() {
		p, err := r.lookup(name)
		if err != nil {
			continue
		}
		if l, ok := p.(Listener); ok {
			func() {
				defer func() {
					if rec := recover(); rec != nil {
						r.logf("plugin %s: listener panicked on %q: %v", name, event, rec)
					}
				}()
				l.OnEvent(ctx, event)
			}()
		}
	}
}
