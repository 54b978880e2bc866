package nilfunc

import "time"

// Elector renews a lease.
type Elector struct {
	id string

	// OnLost, if set by the embedding program, is called when Maintain gives up the lease.
	OnLost func()

	// OnRenew is called after every renewal.
	OnRenew func()

	// OnStart is optional; New fills in a no-op when none is given.
	OnStart func()
}

// NewElector builds an elector; OnStart always has a value.
func NewElector(id string, onStart func()) *Elector {
	e := &Elector{id: id, OnStart: onStart}
	if e.OnStart == nil {
		e.OnStart = func() {}
	}
	return e
}

func (e *Elector) renew() error { return nil }

// Maintain defers a hook its own comment calls optional, and nothing in the package sets it.
func (e *Elector) Maintain(every time.Duration, stop <-chan struct{}) error {
	defer e.OnLost() // want `the comment on Elector\.OnLost \(line \d+\) says it may be left unset`
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return nil
		case <-t.C:
			if err := e.renew(); err != nil {
				return err
			}
		}
	}
}

// An exported hook whose comment does not call it optional: its users are expected to set it.
func (e *Elector) RenewOnce() error {
	defer e.OnRenew()
	return e.renew()
}

// Optional by its comment, but the constructor gives it a value.
func (e *Elector) Start() error {
	defer e.OnStart()
	return e.renew()
}

// Progress receives copy progress. Both callbacks are optional.
type Progress struct {
	Update func(done int)
	Done   func()
}

// Copy defers a callback its type's comment calls optional.
func Copy(n int, p Progress) int {
	defer p.Done() // want `the comment on type Progress \(line \d+\) says its func fields, Done among them, may be left unset`
	for i := 0; i < n; i++ {
		if p.Update != nil {
			p.Update(i)
		}
	}
	return n
}

// StepHooks are called around every step.
type StepHooks struct {
	Before func()
	After  func()
}

// The type's comment does not call its hooks optional.
func Step(h StepHooks) {
	h.Before()
	defer h.After()
}

// lotClock reports a result, then runs its hook.
type lotClock struct {
	closed  chan<- int
	onClose func(int) // optional, see withOnClose
	onTick  func()    // called on every tick
}

func newLotClock(closed chan<- int) *lotClock { return &lotClock{closed: closed} }

// withOnClose sets the hook, for chaining.
func (c *lotClock) withOnClose(fn func(int)) *lotClock {
	c.onClose = fn
	return c
}

func (c *lotClock) withOnTick(fn func()) *lotClock {
	c.onTick = fn
	return c
}

// The hook's comment calls it optional, and only a chaining setter stores it.
func (c *lotClock) report(res int) {
	defer c.onClose(res) // want `the comment on lotClock\.onClose \(line \d+\) says it may be left unset, and only a setter its users may never call sets it`
	c.closed <- res
}

// The tick hook's comment does not call it optional.
func (c *lotClock) tick() {
	defer c.onTick()
	c.closed <- 0
}

type drainConfig struct {
	OnDrained func()
}

type drainServer struct {
	onDrained func()
	onStop    func()
	pending   chan struct{}
}

func newDrainServer(cfg drainConfig) *drainServer {
	s := &drainServer{pending: make(chan struct{}), onStop: func() {}}
	if cfg.OnDrained != nil {
		s.onDrained = cfg.OnDrained
	}
	return s
}

// The hook is copied in only when the config has one.
func (s *drainServer) drain() {
	defer s.onDrained() // want `drainServer\.onDrained is set only when the value copied into it is not nil \(\x60if cfg\.OnDrained != nil\x60 on line \d+\)`
	<-s.pending
}

// Always set where the server is built.
func (s *drainServer) stop() {
	defer s.onStop()
	close(s.pending)
}
