package scheduler

import (
	"fmt"
	"slices"
)

// OnEvent registers h for every event and sends it a "subscribed" event.
func (s *Scheduler) OnEvent(h func(Event)) {
	s.mu.Lock()
	s.hooks = append(s.hooks, h)
	s.mu.Unlock()
	s.callHook(h, Event{Kind: "subscribed", At: s.now()})
}

// notifyHooks calls every hook; one broken hook must not stop the others.
func (s *Scheduler) notifyHooks(ev Event) {
	s.mu.RLock()
	hooks := slices.Clone(s.hooks)
	s.mu.RUnlock()
	for _, h := range hooks {
		func() {
			defer func() {
				if r := recover(); r != nil { // HAZ recover-swallows-panic
					// keep going with the next hook
				}
			}()
			h(ev)
		}()
	}
}

// callHook delivers one event and logs a panicking hook.
func (s *Scheduler) callHook(h func(Event), ev Event) {
	defer func() {
		logIt := func() {
			if v := recover(); v != nil { // HAZ recover-ineffective
				s.log.Error("event hook panicked", "kind", ev.Kind, "panic", v)
			}
		}
		logIt()
	}()
	h(ev)
}

// deliver is the hook call used by Replay: the panic is recovered in the
// deferred function itself and turned into an error.
func (s *Scheduler) deliver(h func(Event), ev Event) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = fmt.Errorf("scheduler: hook panicked on %s event: %v", ev.Kind, v)
		}
	}()
	h(ev)
	return nil
}

// Replay sends past events to every hook and returns how many deliveries
// failed.
func (s *Scheduler) Replay(events []Event) int {
	s.mu.RLock()
	hooks := slices.Clone(s.hooks)
	s.mu.RUnlock()
	failed := 0
	for _, ev := range events {
		for _, h := range hooks {
			if err := s.deliver(h, ev); err != nil {
				s.log.Warn("replay", "err", err)
				failed++
			}
		}
	}
	return failed
}

// Broadcast delivers ev to every hook concurrently; a panicking hook must
// not take the dispatcher down.
func (s *Scheduler) Broadcast(ev Event) {
	defer s.recoverDispatch()
	s.mu.RLock()
	hooks := slices.Clone(s.hooks)
	s.mu.RUnlock()
	for _, h := range hooks {
		go h(ev) // HAZ goroutine-outside-recover
	}
}

// BroadcastSafe is Broadcast with a recover inside every goroutine.
func (s *Scheduler) BroadcastSafe(ev Event) {
	s.mu.RLock()
	hooks := slices.Clone(s.hooks)
	s.mu.RUnlock()
	for _, h := range hooks {
		go func() {
			if err := s.deliver(h, ev); err != nil {
				s.log.Warn("event hook", "err", err)
			}
		}()
	}
}
