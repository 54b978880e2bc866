package sched

// spawn runs fn on its own goroutine. It is the one place where the
// scheduler starts goroutines whose lifetime the caller manages itself.
func spawn(fn func()) {
	go fn()
}

// goSafe runs fn on its own goroutine and logs, instead of crashing on, a
// panic in fn. Used for best-effort background work.
func (s *Scheduler) goSafe(fn func()) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.logf("background task panicked: %v", r)
			}
		}()
		fn()
	}()
}
