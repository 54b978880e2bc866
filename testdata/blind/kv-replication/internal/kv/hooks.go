package kv

import (
	"log"

	"example.com/kvreplication/internal/trace"
)

// OnAfter registers a hook run after the named maintenance operation.
func (s *Store) OnAfter(name string, fn func()) {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	s.afterHooks[name] = fn
}

// RunMaintenance runs fn and then the hook registered for name.
func (s *Store) RunMaintenance(name string, fn func() error) error {
	s.hookMu.Lock()
	after := s.afterHooks[name]
	s.hookMu.Unlock()
	defer after() // HAZ defer-nil-func
	return fn()
}

// RunMaintenanceSafe only defers the hook when one is registered.
func (s *Store) RunMaintenanceSafe(name string, fn func() error) error {
	s.hookMu.Lock()
	after, ok := s.afterHooks[name]
	s.hookMu.Unlock()
	if ok && after != nil {
		defer after()
	}
	return fn()
}

// hookOrNoop returns the registered hook or a no-op.
func (s *Store) hookOrNoop(name string) func() {
	s.hookMu.Lock()
	defer s.hookMu.Unlock()
	if fn := s.afterHooks[name]; fn != nil {
		return fn
	}
	return func() {}
}

// Compact drops empty values and then runs the "compact" hook.
func (s *Store) Compact() int {
	defer s.hookOrNoop("compact")()
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for k, v := range s.data {
		if len(v) == 0 {
			delete(s.data, k)
			n++
		}
	}
	return n
}

// Clear removes every key, logging how long it took.
func (s *Store) Clear(logger *log.Logger) int {
	defer trace.Logged(logger, "kv.clear") // HAZ defer-func-result-not-called
	s.mu.Lock()
	defer s.mu.Unlock()
	n := len(s.data)
	s.data = make(map[string][]byte)
	return n
}

// ClearPrefix removes keys under prefix, timing the whole call.
func (s *Store) ClearPrefix(logger *log.Logger, prefix string) (int, error) {
	defer trace.Logged(logger, "kv.clear_prefix")()
	return s.DeletePrefix(prefix)
}
