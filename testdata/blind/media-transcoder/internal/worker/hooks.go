package worker

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"

	"example.com/mediatranscoder/internal/job"
)

// Hook is a user-configured step run after a job succeeds (DRM packaging,
// CDN purge, search indexing...).
type Hook struct {
	Name string
	Fn   func(context.Context, *job.Job) error
}

// HookRunner runs hooks so that a broken hook cannot take the worker down.
type HookRunner struct {
	hooks  []Hook
	logger *log.Logger
}

// NewHookRunner returns a runner for hooks.
func NewHookRunner(logger *log.Logger, hooks ...Hook) *HookRunner {
	return &HookRunner{hooks: hooks, logger: logger}
}

// Run runs one hook.
func (h *HookRunner) Run(ctx context.Context, hk Hook, j *job.Job) error {
	defer func() {
		h.logPanic(hk.Name)
	}()
	return hk.Fn(ctx, j)
}

// logPanic logs a hook panic.
func (h *HookRunner) logPanic(name string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		h.logger.Printf("hook %s panicked: %v", name, r)
	}
}

// RunSafe defers the recovering helper itself, so its recover() is called
// directly by the deferred call.
func (h *HookRunner) RunSafe(ctx context.Context, hk Hook, j *job.Job) (err error) {
	defer h.recoverHook(hk.Name, &err)
	return hk.Fn(ctx, j)
}

func (h *HookRunner) recoverHook(name string, errp *error) {
	if r := recover(); r != nil {
		h.logger.Printf("hook %s panicked: %v\n%s", name, r, debug.Stack())
		*errp = fmt.Errorf("hook %s panicked: %v", name, r)
	}
}

// RunAll runs every hook in order and stops at the first error.
func (h *HookRunner) RunAll(ctx context.Context, j *job.Job) (err error) {
	defer func() {
		report := func() error {
			if r := recover(); r != nil { // HAZ recover-ineffective
				return fmt.Errorf("hook panicked: %v", r)
			}
			return nil
		}
		if perr := report(); perr != nil {
			err = perr
		}
	}()
	for _, hk := range h.hooks {
		if err := hk.Fn(ctx, j); err != nil {
			return fmt.Errorf("hook %s: %w", hk.Name, err)
		}
	}
	return nil
}

// RunEach runs every hook through RunSafe and collects the failures.
func (h *HookRunner) RunEach(ctx context.Context, j *job.Job) []error {
	var errs []error
	for _, hk := range h.hooks {
		if err := h.RunSafe(ctx, hk, j); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// RunDetached runs a hook whose result nobody waits for.
func (h *HookRunner) RunDetached(ctx context.Context, hk Hook, j *job.Job) {
	defer h.reportPanic(hk.Name, recover()) // HAZ recover-ineffective
	if err := hk.Fn(ctx, j); err != nil {
		h.logger.Printf("hook %s: %v", hk.Name, err)
	}
}

func (h *HookRunner) reportPanic(name string, r any) {
	if r != nil {
		h.logger.Printf("hook %s panicked: %v", name, r)
	}
}

// RunInBackground starts each hook on its own goroutine; each goroutine
// installs its own recover, and the launching function has none to rely on.
func (h *HookRunner) RunInBackground(ctx context.Context, j *job.Job) {
	for _, hk := range h.hooks {
		go func() {
			defer h.recoverDetached(hk.Name)
			if err := hk.Fn(ctx, j); err != nil {
				h.logger.Printf("hook %s: %v", hk.Name, err)
			}
		}()
	}
}

func (h *HookRunner) recoverDetached(name string) {
	if r := recover(); r != nil {
		h.logger.Printf("background hook %s panicked: %v", name, r)
	}
}
