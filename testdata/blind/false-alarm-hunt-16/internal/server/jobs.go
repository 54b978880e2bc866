package server

import (
	"fmt"
	"runtime/debug"
	"time"

	"example.com/fah16/internal/safe"
	"example.com/fah16/internal/state"
)

// logPanic logs a panic of a background job together with its stack.
func (s *Server) logPanic(job string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.log.Printf("job %s panicked: %v\n%s", job, r, debug.Stack())
	}
}

// Reindex rebuilds derived state and records completion in the health
// report.
func (s *Server) Reindex(rebuild func(*state.Store) error) error {
	defer func() {
		s.logPanic("reindex")
		s.health.Set("reindex", true, "finished", time.Now())
	}()
	return rebuild(s.store)
}

// recoverTo converts a panic into an error in *errp. Deferred directly.
func (s *Server) recoverTo(errp *error) {
	if r := recover(); r != nil {
		s.log.Printf("recovered: %v", r)
		*errp = fmt.Errorf("server: panic: %v", r)
	}
}

// RunJob runs fn, turning a panic into an error.
func (s *Server) RunJob(name string, fn func() error) (err error) {
	defer s.recoverTo(&err)
	s.health.Set(name, false, "running", time.Now())
	if err := fn(); err != nil {
		s.health.Set(name, false, err.Error(), time.Now())
		return err
	}
	s.health.Set(name, true, "ok", time.Now())
	return nil
}

// Refresh snapshots the store and pushes the snapshot in the background.
func (s *Server) Refresh(push func([]state.Source)) (err error) {
	defer s.recoverTo(&err)
	snap := s.store.Snapshot()
	go push(snap) // HAZ goroutine-outside-recover
	s.health.Set("refresh", true, fmt.Sprintf("%d sources", len(snap)), time.Now())
	return nil
}

// RefreshSafely is Refresh with the push protected by its own recover.
func (s *Server) RefreshSafely(push func([]state.Source)) (err error) {
	defer s.recoverTo(&err)
	snap := s.store.Snapshot()
	safe.Go(func() { push(snap) }, func(r any) {
		s.health.Set("refresh", false, fmt.Sprintf("push panicked: %v", r), time.Now())
	})
	s.health.Set("refresh", true, fmt.Sprintf("%d sources", len(snap)), time.Now())
	return nil
}

// RunBackground starts fn on its own goroutine; a panic in fn is logged.
func (s *Server) RunBackground(name string, fn func()) {
	go func() {
		defer func() { safe.Log("background "+name, recover()) }()
		fn()
	}()
}

// RunDetached starts fn on its own goroutine for fire-and-forget work such
// as cache warming; a panic in fn is logged.
func (s *Server) RunDetached(name string, fn func()) {
	go func() {
		defer safe.Log("detached "+name, recover()) // HAZ recover-ineffective
		fn()
	}()
}

// fireHooks calls every advance hook. A misbehaving hook must not fail the
// request.
func (s *Server) fireHooks(source string) {
	for _, h := range s.hooks {
		func() {
			defer func() {
				_ = recover() // HAZ recover-swallows-panic
			}()
			h(source)
		}()
	}
}
