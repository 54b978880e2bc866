package fixture

type subscription struct {
	quit        chan error
	forwardDone chan struct{}
	results     chan error
}

// The send is abandoned as soon as the forwarding goroutine says it is done: a handshake, not a wait.
func (s *subscription) close(err error) {
	select {
	case s.quit <- err:
	case <-s.forwardDone:
	}
}

func (s *subscription) serve() {
	defer s.close(nil)
}

// A select on data channels only waits for whoever sends.
func (s *subscription) drainOne() {
	select {
	case <-s.results:
	case s.quit <- nil:
	}
}

func (s *subscription) serveAndDrain() {
	defer s.drainOne() // want `the select on line 23 waits on channels with no default case or timeout`
}
