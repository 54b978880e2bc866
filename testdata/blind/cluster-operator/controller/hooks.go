package controller

import (
	"context"
	"maps"
	"slices"

	"example.com/operator/api"
	"example.com/operator/internal/runtimeutil"
)

// Hook is a user-supplied callback run after a successful reconcile, for
// example to notify a chat channel or refresh a DNS record.
type Hook func(ctx context.Context, obj *api.Cluster) error

// RegisterHook adds or replaces the hook called name.
func (c *Controller) RegisterHook(name string, h Hook) {
	c.hooksMu.Lock()
	defer c.hooksMu.Unlock()
	c.hooks[name] = h
}

func (c *Controller) hasHooks() bool {
	c.hooksMu.RLock()
	defer c.hooksMu.RUnlock()
	return len(c.hooks) > 0
}

func (c *Controller) snapshotHooks() map[string]Hook {
	c.hooksMu.RLock()
	defer c.hooksMu.RUnlock()
	return maps.Clone(c.hooks)
}

// runHooks calls every hook in name order and logs failures.
func (c *Controller) runHooks(ctx context.Context, obj *api.Cluster) {
	hooks := c.snapshotHooks()
	for _, name := range slices.Sorted(maps.Keys(hooks)) {
		if err := hooks[name](ctx, obj); err != nil {
			c.logger.Printf("controller: hook %s for %s: %v", name, obj.Meta.Key(), err)
			c.metrics.Inc("hook_errors_total")
		}
	}
}

// runHooksIsolated calls every hook, converting panics into errors, and
// returns the failures by hook name.
func (c *Controller) runHooksIsolated(ctx context.Context, obj *api.Cluster) map[string]error {
	errs := make(map[string]error)
	for name, h := range c.snapshotHooks() {
		if err := callHook(ctx, name, h, obj); err != nil {
			errs[name] = err
		}
	}
	return errs
}

// callHook runs one hook; a panic becomes an error.
func callHook(ctx context.Context, name string, h Hook, obj *api.Cluster) (err error) {
	defer runtimeutil.RecoverToError(&err, "hook "+name)
	return h(ctx, obj)
}
