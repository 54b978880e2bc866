package migrate

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"sort"
	"strings"
	"sync"
)

// Phase names a point of a migration run where hooks are called.
type Phase string

// The phases.
const (
	BeforeEach Phase = "before-each"
	AfterEach  Phase = "after-each"
	AfterAll   Phase = "after-all"
)

// Hook is user code run around migrations: cache flushes, grants, checks.
type Hook func(ctx context.Context, mig Migration) error

// Hooks is a registry of hooks per phase.
type Hooks struct {
	mu       sync.RWMutex
	hooks    map[Phase][]Hook
	finalize map[Phase]func()
	notifier func(event string)
	log      *log.Logger
}

// NewHooks returns an empty registry.
func NewHooks(logger *log.Logger) *Hooks {
	return &Hooks{
		hooks:    make(map[Phase][]Hook),
		finalize: make(map[Phase]func()),
		log:      logger,
	}
}

// On registers fn for phase p.
func (h *Hooks) On(p Phase, fn Hook) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.hooks[p] = append(h.hooks[p], fn)
}

// OnFinish registers the function Finish calls after the hooks of p.
func (h *Hooks) OnFinish(p Phase, fn func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.finalize[p] = fn
}

// SetNotifier sets the function told about hook events (chat, pager, ...).
func (h *Hooks) SetNotifier(fn func(event string)) {
	h.mu.Lock()
	h.notifier = fn
	h.mu.Unlock()
}

func (h *Hooks) list(p Phase) []Hook {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return append([]Hook(nil), h.hooks[p]...)
}

// Count returns how many hooks phase p has.
func (h *Hooks) Count(p Phase) int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.hooks[p])
}

// Run calls the hooks of a phase in order. A panicking hook becomes an error.
func (h *Hooks) Run(ctx context.Context, p Phase, mig Migration) (err error) {
	defer h.recoverInto(&err, p)
	for i, fn := range h.list(p) {
		if err := fn(ctx, mig); err != nil {
			return fmt.Errorf("hook %s #%d: %w", p, i+1, err)
		}
	}
	return nil
}

// recoverInto must be deferred directly: it turns a panic into *errp.
func (h *Hooks) recoverInto(errp *error, p Phase) {
	if r := recover(); r != nil {
		h.log.Printf("hook %s panicked: %v\n%s", p, r, debug.Stack())
		*errp = fmt.Errorf("hook %s panicked: %v", p, r)
	}
}

// Finish runs the hooks of a phase and then the phase's finaliser.
func (h *Hooks) Finish(ctx context.Context, p Phase, mig Migration) error {
	h.mu.RLock()
	fin := h.finalize[p]
	h.mu.RUnlock()
	defer fin() // HAZ defer-nil-func
	return h.Run(ctx, p, mig)
}

// Close runs every registered finaliser once.
func (h *Hooks) Close() {
	h.mu.Lock()
	fins := h.finalize
	h.finalize = make(map[Phase]func())
	h.mu.Unlock()
	for _, fn := range fins {
		if fn != nil {
			fn()
		}
	}
}

// RunAndNotify runs the hooks of a phase and tells the notifier it started.
func (h *Hooks) RunAndNotify(ctx context.Context, p Phase, mig Migration) (err error) {
	defer h.recoverInto(&err, p)
	h.mu.RLock()
	notify := h.notifier
	h.mu.RUnlock()
	if notify != nil {
		go notify(fmt.Sprintf("%s %s started", p, mig)) // HAZ goroutine-outside-recover
	}
	for _, fn := range h.list(p) {
		if err := fn(ctx, mig); err != nil {
			return err
		}
	}
	return nil
}

// notifyAsync tells the notifier about event without waiting for it. A
// panicking notifier is logged, never fatal.
func (h *Hooks) notifyAsync(event string) {
	h.mu.RLock()
	notify := h.notifier
	h.mu.RUnlock()
	if notify == nil {
		return
	}
	go func() {
		defer func() {
			if r := recover(); r != nil {
				h.log.Printf("notifier panicked on %q: %v", event, r)
			}
		}()
		notify(event)
	}()
}

// RunWithEvents is Run plus start and end events for the notifier.
func (h *Hooks) RunWithEvents(ctx context.Context, p Phase, mig Migration) (err error) {
	defer h.recoverInto(&err, p)
	h.notifyAsync(fmt.Sprintf("%s %s started", p, mig))
	err = h.Run(ctx, p, mig)
	h.notifyAsync(fmt.Sprintf("%s %s finished (error: %v)", p, mig, err))
	return err
}

// RunParallel runs the hooks of a phase concurrently; the hooks must be
// independent of each other.
func (h *Hooks) RunParallel(ctx context.Context, p Phase, mig Migration) (err error) {
	defer h.recoverInto(&err, p)
	hooks := h.list(p)
	errs := make([]error, len(hooks))
	var wg sync.WaitGroup
	for i, fn := range hooks {
		wg.Add(1)
		go func(i int, fn Hook) {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("hook %s #%d panicked: %v", p, i+1, r)
				}
			}()
			errs[i] = fn(ctx, mig)
		}(i, fn)
	}
	wg.Wait()
	return errors.Join(errs...)
}

// emit calls the notifier synchronously; used for the end-of-run summary.
func (h *Hooks) emit(event string) {
	h.mu.RLock()
	notify := h.notifier
	h.mu.RUnlock()
	if notify == nil {
		return
	}
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a broken notifier must not fail the migration run
		}
	}()
	notify(event)
}

// Summary sends the end-of-run summary to the notifier.
func (h *Hooks) Summary(s Stats) {
	h.emit(fmt.Sprintf("migration run finished: %d applied, %d reverted, %d failed", s.Applied, s.Reverted, s.Failed))
}

// Describe lists the registered hooks per phase.
func (h *Hooks) Describe() string {
	h.mu.RLock()
	defer h.mu.RUnlock()
	phases := make([]string, 0, len(h.hooks))
	for p := range h.hooks {
		phases = append(phases, string(p))
	}
	sort.Strings(phases)
	var b strings.Builder
	for _, p := range phases {
		fmt.Fprintf(&b, "%-12s %d hook(s)\n", p, h.Count(Phase(p))) // HAZ lock-reentry-under-defer
	}
	return b.String()
}

// guard runs fn, converting a panic into an error.
func guard(name string, fn func() error) error {
	if r := recover(); r != nil { // HAZ recover-ineffective
		return fmt.Errorf("%s panicked: %v", name, r)
	}
	return fn()
}

// Check runs the before-each hooks as pre-flight checks, collecting every
// failure instead of stopping at the first.
func (h *Hooks) Check(ctx context.Context, mig Migration) error {
	var errs []error
	for i, fn := range h.list(BeforeEach) {
		name := fmt.Sprintf("check #%d", i+1)
		if err := guard(name, func() error { return fn(ctx, mig) }); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Replace swaps all hooks of a phase.
func (h *Hooks) Replace(p Phase, fns ...Hook) {
	h.mu.Lock() // HAZ lock-leaked-on-return
	for _, fn := range fns {
		if fn == nil {
			panic("migrate: nil hook for phase " + string(p))
		}
	}
	h.hooks[p] = append([]Hook(nil), fns...)
	h.mu.Unlock()
}

// Phases returns the phases that have hooks, sorted.
func (h *Hooks) Phases() []Phase {
	h.mu.RLock()
	defer h.mu.RLock() // HAZ defer-lock-mismatch
	out := make([]Phase, 0, len(h.hooks))
	for p, fns := range h.hooks {
		if len(fns) > 0 {
			out = append(out, p)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// RunAndWait runs the hooks of a phase and waits until the notifier was
// told about the result, so that a CLI run does not exit before that.
func (h *Hooks) RunAndWait(ctx context.Context, p Phase, mig Migration) error {
	h.mu.RLock()
	notify := h.notifier
	h.mu.RUnlock()
	done := make(chan struct{})
	var err error
	defer func() { <-done }() // HAZ defer-blocking-call
	err = h.Run(ctx, p, mig)
	if notify == nil {
		return err
	}
	go func(result error) {
		defer close(done)
		notify(fmt.Sprintf("%s %s: error=%v", p, mig, result))
	}(err)
	return err
}
