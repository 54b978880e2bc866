// Package lifecycle starts, restarts and stops the mirror's long-running
// components.
package lifecycle

import "context"

// Hooks are optional callbacks; any of them may be left nil.
type Hooks struct {
	OnStart func(name string)
	OnStop  func(name string, err error)
	Release func()
}

// withDefaults returns h with every nil hook replaced by a no-op.
func (h Hooks) withDefaults() Hooks {
	if h.OnStart == nil {
		h.OnStart = func(string) {}
	}
	if h.OnStop == nil {
		h.OnStop = func(string, error) {}
	}
	if h.Release == nil {
		h.Release = func() {}
	}
	return h
}

// Component is one long-running part of the daemon.
type Component struct {
	Name  string
	Hooks Hooks
	Run   func(ctx context.Context) error
}

// Start runs the component until it returns, then releases its resources.
func (c *Component) Start(ctx context.Context) error {
	if c.Hooks.OnStart != nil {
		c.Hooks.OnStart(c.Name)
	}
	defer c.Hooks.Release() // HAZ defer-nil-func
	return c.Run(ctx)
}

// StartGuarded is Start with every optional hook checked before it is deferred.
func (c *Component) StartGuarded(ctx context.Context) (err error) {
	if h := c.Hooks.OnStop; h != nil {
		defer func() { h(c.Name, err) }()
	}
	if rel := c.Hooks.Release; rel != nil {
		defer rel()
	}
	if h := c.Hooks.OnStart; h != nil {
		h(c.Name)
	}
	return c.Run(ctx)
}
