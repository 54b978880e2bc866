package guard

// Event is something that happened to a stream.
type Event struct {
	Kind   string
	Stream string
	Seq    uint64
}

// Handler reacts to an event. Handlers come from plug-ins and may panic.
type Handler func(Event)

// Dispatch delivers ev to the synchronous handlers in order and starts the
// asynchronous ones in the background.
func (s *Supervisor) Dispatch(ev Event, sync, async []Handler) {
	defer s.recoverPanic() // HAZ goroutine-outside-recover
	for _, h := range async {
		go h(ev)
	}
	for _, h := range sync {
		h(ev)
	}
}

// DispatchGuarded is Dispatch where every asynchronous handler runs under
// the supervisor's own recover.
func (s *Supervisor) DispatchGuarded(ev Event, sync, async []Handler) {
	defer s.recoverPanic()
	for _, h := range async {
		s.Go(func() { h(ev) })
	}
	for _, h := range sync {
		h(ev)
	}
}
