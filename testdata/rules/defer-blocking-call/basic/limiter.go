package fixture

// A semaphore of its own named type: the pool acquires a slot by sending on its field, and the
// worker's deferred release receives through a method of the type. The release never waits.
type limiter chan struct{}

func (l limiter) release() {
	if l != nil {
		<-l
	}
}

type pool struct {
	limiter limiter
	tasks   chan func()
}

func (p *pool) Go(f func()) {
	select {
	case p.limiter <- struct{}{}:
		go p.worker()
	default:
	}
	p.tasks <- f
}

func (p *pool) worker() {
	defer p.limiter.release()
	for f := range p.tasks {
		f()
	}
}

// A named channel type nobody sends on as an acquire: waiting on it in a defer still blocks.
type signal chan struct{}

func (s signal) wait() { <-s }

func runUntil(s signal, f func()) {
	defer s.wait() // want `deferred s\.wait\(\) → signal\.wait → <-s \(line 37\) blocks until a value is sent or the channel is closed`
	f()
}
