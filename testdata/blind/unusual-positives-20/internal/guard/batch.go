package guard

import (
	"runtime/debug"
	"sync"
)

// RunBatch runs the tasks concurrently, each under the supervisor's
// recover, and waits for all of them.
func (s *Supervisor) RunBatch(tasks []func()) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer s.recoverPanic()
			t()
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// RunAll is RunBatch with Done deferred first, so it runs after the
// recover and on every path.
func (s *Supervisor) RunAll(tasks []func()) {
	var wg sync.WaitGroup
	for _, t := range tasks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.recoverPanic()
			t()
		}()
	}
	wg.Wait()
}

// RunFirst runs task; the first panic in the supervisor's lifetime is
// logged with its stack, later ones are only counted.
func (s *Supervisor) RunFirst(task func()) {
	defer func() {
		s.once.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				s.panics.Add(1)
				s.logger.Printf("%s: first panic: %v\n%s", s.name, r, debug.Stack())
			}
		})
	}()
	task()
}

// RunLogged runs task; the recover is called by the deferred literal itself
// and the once only guards the stack dump.
func (s *Supervisor) RunLogged(task func()) {
	defer func() {
		r := recover()
		if r == nil {
			return
		}
		s.panics.Add(1)
		s.once.Do(func() {
			s.logger.Printf("%s: first panic: %v\n%s", s.name, r, debug.Stack())
		})
		s.logger.Printf("%s: panic: %v", s.name, r)
	}()
	task()
}
