package server

import (
	"fmt"
	"sync"

	"example.com/up12/internal/guard"
)

// reportPanic records a recovered panic value, if any.
func (s *Server) reportPanic(name string, r any) {
	if r == nil {
		return
	}
	s.panics.Add(1)
	s.log.Printf("hook %s: panic: %v", name, r)
}

// absorb logs and stops a panic of the current job.
func (s *Server) absorb(where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		s.log.Printf("%s: recovered: %v", where, r)
	}
}

// runJob runs a background job, keeping the worker alive on panic.
func (s *Server) runJob(name string, job func() error) {
	defer func() { s.absorb("job " + name) }()
	if err := job(); err != nil {
		s.log.Printf("job %s: %v", name, err)
	}
}

// runHook runs an operator-supplied hook and reports a panic from it.
func (s *Server) runHook(name string, fn func()) {
	defer s.reportPanic(name, recover()) // HAZ recover-ineffective
	fn()
}

// runHookSafe is runHook with recover called by the deferred literal itself.
func (s *Server) runHookSafe(name string, fn func()) {
	defer func() {
		s.reportPanic(name, recover())
	}()
	fn()
}

// runTask runs a task and reports only the first panic across all tasks.
func (s *Server) runTask(name string, task func()) {
	defer func() {
		s.panicOnce.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.log.Printf("task %s: first panic: %v", name, r)
			}
		})
	}()
	task()
}

// swallow stops a plugin panic.
func (s *Server) swallow() {
	if r := recover(); r != nil { // HAZ recover-swallows-panic
		// a broken plugin must not take the server down
	}
}

// callPlugin runs a plugin callback.
func (s *Server) callPlugin(fn func(*Server)) {
	defer s.swallow()
	fn(s)
}

// callPluginLogged runs a plugin callback, logging any panic with its stack.
func (s *Server) callPluginLogged(fn func(*Server)) {
	defer guard.LogPanic(s.log)
	fn(s)
}

// safeCall turns a panic of fn into an error.
func (s *Server) safeCall(name string, fn func() error) (err error) {
	defer guard.Recover(&err)
	return fn()
}

// mustNotPanic logs the panic for the post-mortem and re-raises it.
func (s *Server) mustNotPanic(name string, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			s.log.Printf("%s: fatal panic: %v", name, r)
			panic(r)
		}
	}()
	fn()
}

// RunPlugins runs all plugins concurrently, each goroutine carrying its own
// recover through callPluginLogged, and waits for them.
func (s *Server) RunPlugins(plugins []func(*Server)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("plugins: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, p := range plugins {
		wg.Add(1)
		go func(p func(*Server)) {
			defer wg.Done()
			s.callPluginLogged(p)
		}(p)
	}
	wg.Wait()
	return nil
}

// Reload re-reads the services file and records the outcome.
func (s *Server) Reload(path string) error {
	var err error
	defer s.audit("reload", path, err) // HAZ defer-eager-evaluation
	n, err := s.reg.LoadFile(path)
	if err != nil {
		return err
	}
	s.log.Printf("reload: %d services", n)
	return nil
}

// ReloadAudited records the outcome as it is at exit.
func (s *Server) ReloadAudited(path string) (err error) {
	defer func() { s.audit("reload", path, err) }()
	n, err := s.reg.LoadFile(path)
	if err != nil {
		return err
	}
	defer s.log.Printf("reload: %d services from %s", n, path)
	return nil
}

// audit writes one audit line.
func (s *Server) audit(op, target string, err error) {
	status := "ok"
	if err != nil {
		status = err.Error()
	}
	s.log.Printf("audit: %s %s: %s", op, target, status)
}
