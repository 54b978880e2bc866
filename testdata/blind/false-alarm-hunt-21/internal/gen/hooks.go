package gen

import (
	"errors"
	"fmt"
	"sync"

	"example.com/fah21/internal/safe"
)

// HookContext is passed to post-generation hooks.
type HookContext struct {
	OutDir string
	Files  []string
}

// Hook runs after generation, e.g. goimports or a license-header check.
// Hooks come from plugins and may panic.
type Hook struct {
	Name string
	Fn   func(*HookContext) error
}

// invoke runs the hook and turns a panic into an error naming the hook.
func (h Hook) invoke(hc *HookContext) (err error) {
	defer func() {
		capture := func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				err = fmt.Errorf("hook %s panicked: %v", h.Name, r)
			}
		}
		capture()
	}()
	return h.Fn(hc)
}

// RunHooksSerial runs hooks in order and stops at the first failure.
func RunHooksSerial(hc *HookContext, hooks []Hook) error {
	for _, h := range hooks {
		if err := h.invoke(hc); err != nil {
			return fmt.Errorf("hook %s: %w", h.Name, err)
		}
	}
	return nil
}

// RunHooks runs independent hooks concurrently and joins their errors. A
// panic in the coordinating code is returned as an error.
func RunHooks(hc *HookContext, hooks []Hook) (err error) {
	defer safe.Recover(&err)
	errs := make([]error, len(hooks))
	var wg sync.WaitGroup
	for i, h := range hooks {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			errs[i] = h.Fn(hc)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunHooksIsolated runs hooks concurrently; every goroutine converts its own
// panic into that hook's error.
func RunHooksIsolated(hc *HookContext, hooks []Hook) (err error) {
	defer safe.Recover(&err)
	errs := make([]error, len(hooks))
	var wg sync.WaitGroup
	for i, h := range hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer safe.Recover(&errs[i])
			errs[i] = h.Fn(hc)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// RunHooksAsync starts every hook through safe.Go and collects the results.
func RunHooksAsync(hc *HookContext, hooks []Hook) error {
	chans := make([]<-chan error, len(hooks))
	for i, h := range hooks {
		chans[i] = safe.Go(func() error { return h.Fn(hc) })
	}
	var errs []error
	for i, c := range chans {
		if err := <-c; err != nil {
			errs = append(errs, fmt.Errorf("hook %s: %w", hooks[i].Name, err))
		}
	}
	return errors.Join(errs...)
}
