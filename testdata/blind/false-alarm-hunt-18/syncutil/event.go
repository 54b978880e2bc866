package syncutil

import "sync"

// An Event is a one-shot broadcast: Done returns a channel that is closed
// when Fire is first called. The zero value is ready to use.
type Event struct {
	mu    sync.Mutex
	ch    chan struct{}
	fired bool
}

// chLocked returns the event channel, allocating it on first use.
// e.mu must be held.
func (e *Event) chLocked() chan struct{} {
	if e.ch == nil {
		e.ch = make(chan struct{})
	}
	return e.ch
}

// Done returns a channel that is closed once the event fires.
func (e *Event) Done() <-chan struct{} {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.chLocked()
}

// Fire closes the Done channel. Calls after the first have no effect.
func (e *Event) Fire() {
	e.mu.Lock()
	defer e.mu.Unlock()
	if e.fired {
		return
	}
	e.fired = true
	close(e.chLocked())
}

// Fired reports whether Fire has been called.
func (e *Event) Fired() bool {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.fired
}

// A Stopper runs background goroutines that exit when Stop is called.
// Stop closes the shared done channel exactly once and then waits for
// every goroutine started with Go.
type Stopper struct {
	once sync.Once
	done chan struct{}
	wg   sync.WaitGroup
}

// NewStopper returns a Stopper with no goroutines.
func NewStopper() *Stopper {
	return &Stopper{done: make(chan struct{})}
}

// Go runs f in a new goroutine. f must return promptly once stop is closed.
func (s *Stopper) Go(f func(stop <-chan struct{})) {
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		f(s.done)
	}()
}

// Stop signals every goroutine to exit and waits for them. It is safe to
// call Stop more than once and from several goroutines.
func (s *Stopper) Stop() {
	s.once.Do(func() { close(s.done) })
	s.wg.Wait()
}

// Stopping returns the channel that is closed when Stop is called.
func (s *Stopper) Stopping() <-chan struct{} {
	return s.done
}
