package hooks

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// Phase is a named step of service start-up with an optional undo.
type Phase struct {
	Name string
	Do   func(context.Context) error
	Undo func()
}

// Start runs phases in order. When one fails, the phases that already
// succeeded are undone in reverse order by the deferred closure.
func Start(ctx context.Context, phases []Phase) (err error) {
	var undo []func()
	defer func() {
		if err == nil {
			return
		}
		for i := len(undo) - 1; i >= 0; i-- {
			undo[i]()
		}
	}()
	for _, p := range phases {
		if perr := p.Do(ctx); perr != nil {
			return fmt.Errorf("start %s: %w", p.Name, perr)
		}
		if p.Undo != nil {
			undo = append(undo, p.Undo)
		}
	}
	return nil
}

// RunChecks runs preflight checks, each under its own timeout; the cancel
// of each check is deferred inside a function literal.
func RunChecks(ctx context.Context, checks map[string]func(context.Context) error, timeout time.Duration) map[string]error {
	results := make(map[string]error, len(checks))
	for name, check := range checks {
		results[name] = func() error {
			cctx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			return check(cctx)
		}()
	}
	return results
}

// Drainers maps a backend kind to the function that drains its queue
// once the backend has stopped.
type Drainers map[string]func()

// Shutdown stops the backend of the given kind and drains its queue on the
// way out.
func (d Drainers) Shutdown(kind string, stop func() error) error {
	defer d[kind]() // HAZ defer-nil-func
	if err := stop(); err != nil {
		return fmt.Errorf("stop %s: %w", kind, err)
	}
	return nil
}

// ShutdownKnown is Shutdown for callers that may pass kinds without a
// drainer: the lookup is checked before anything is deferred.
func (d Drainers) ShutdownKnown(kind string, stop func() error) error {
	drain, ok := d[kind]
	if !ok || drain == nil {
		return stop()
	}
	defer drain()
	if err := stop(); err != nil {
		return fmt.Errorf("stop %s: %w", kind, err)
	}
	return nil
}

// ModeSwitch holds the service-wide write modes.
type ModeSwitch struct {
	mu          sync.Mutex
	readOnly    bool
	maintenance bool
}

// enter sets *flag and returns the function that restores its old value.
func (m *ModeSwitch) enter(flag *bool) func() {
	m.mu.Lock()
	old := *flag
	*flag = true
	m.mu.Unlock()
	return func() {
		m.mu.Lock()
		*flag = old
		m.mu.Unlock()
	}
}

// With runs fn with the service switched into mode and switches back
// afterwards. Mode "normal" needs no switch.
func (m *ModeSwitch) With(mode string, fn func() error) error {
	var restore func()
	switch mode {
	case "readonly":
		restore = m.enter(&m.readOnly)
	case "maintenance":
		restore = m.enter(&m.maintenance)
	case "normal":
		// already the default
	default:
		return fmt.Errorf("hooks: unknown mode %q", mode)
	}
	defer restore() // HAZ defer-nil-func
	return fn()
}

// WithChecked is With where only a switched mode defers a restore.
func (m *ModeSwitch) WithChecked(mode string, fn func() error) error {
	restore := func() {}
	switch mode {
	case "readonly":
		restore = m.enter(&m.readOnly)
	case "maintenance":
		restore = m.enter(&m.maintenance)
	case "normal":
	default:
		return fmt.Errorf("hooks: unknown mode %q", mode)
	}
	defer restore()
	return fn()
}

// ReadOnly reports whether writes are currently refused.
func (m *ModeSwitch) ReadOnly() bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.readOnly || m.maintenance
}

// hold locks the switch and returns the unlock.
func (m *ModeSwitch) hold() func() {
	m.mu.Lock()
	return m.mu.Unlock
}

// Set forces both modes, e.g. from the admin endpoint.
func (m *ModeSwitch) Set(readOnly, maintenance bool) {
	defer m.hold() // HAZ defer-func-result-not-called
	m.readOnly = readOnly
	m.maintenance = maintenance
}

// Modes returns both modes under the lock taken by hold and released by
// the returned function at exit.
func (m *ModeSwitch) Modes() (readOnly, maintenance bool) {
	defer m.hold()()
	return m.readOnly, m.maintenance
}
