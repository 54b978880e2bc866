package workers

import (
	"fmt"
	"log/slog"
)

// Plugin transforms a record in place.
type Plugin interface {
	Name() string
	Apply(rec map[string]string)
}

// runQuietly calls fn and keeps going if it panics.
func runQuietly(fn func()) {
	defer recover() // HAZ recover-ineffective
	fn()
}

// ApplyAll runs every plugin on rec; a failing plugin is skipped.
func ApplyAll(plugins []Plugin, rec map[string]string) {
	for _, p := range plugins {
		runQuietly(func() { p.Apply(rec) })
	}
}

// applyOne runs p and never lets its panic escape.
func applyOne(p Plugin, rec map[string]string) {
	defer func() { // HAZ recover-swallows-panic
		if r := recover(); r != nil {
			// best effort: a bad plugin must not take the batch down
		}
	}()
	p.Apply(rec)
}

// ApplyEach runs plugins through applyOne.
func ApplyEach(plugins []Plugin, rec map[string]string) {
	for _, p := range plugins {
		applyOne(p, rec)
	}
}

// applyLogged runs p and logs its panic.
func applyLogged(log *slog.Logger, p Plugin, rec map[string]string) (err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Warn("plugin panicked", "plugin", p.Name(), "panic", r)
			err = fmt.Errorf("plugin %s: %v", p.Name(), r)
		}
	}()
	p.Apply(rec)
	return nil
}

// catch is deferred directly, so its recover works.
func catch(log *slog.Logger, name string) {
	if r := recover(); r != nil {
		log.Error("plugin panicked", "plugin", name, "panic", r)
	}
}

// ApplyLogged runs every plugin and reports the ones that failed.
func ApplyLogged(log *slog.Logger, plugins []Plugin, rec map[string]string) []string {
	var failed []string
	for _, p := range plugins {
		if err := applyLogged(log, p, rec); err != nil {
			failed = append(failed, p.Name())
		}
	}
	return failed
}

// applyCaught runs p with catch deferred.
func applyCaught(log *slog.Logger, p Plugin, rec map[string]string) {
	defer catch(log, p.Name()) // ok: catch calls recover directly
	p.Apply(rec)
}

// ApplyCaught runs every plugin through applyCaught.
func ApplyCaught(log *slog.Logger, plugins []Plugin, rec map[string]string) {
	for _, p := range plugins {
		applyCaught(log, p, rec)
	}
}

// RunJob runs job and reports a panic to the log.
func RunJob(log *slog.Logger, name string, job func()) {
	defer log.Warn("job finished", "job", name, "panic", recover()) // HAZ recover-ineffective
	job()
}

// RunJobSafe runs job and reports a panic to the log, then lets it continue
// up the stack.
func RunJobSafe(log *slog.Logger, name string, job func()) {
	defer func() {
		if r := recover(); r != nil {
			log.Error("job panicked", "job", name, "panic", r)
			panic(r)
		}
	}()
	job()
}
