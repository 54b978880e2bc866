package hub

import (
	"log"
	"time"
)

// OnDisconnect registers fn to run when a client is disconnected for
// reason ("idle", "slow", "kicked", ...). Hooks are registered at startup.
func (h *Hub) OnDisconnect(reason string, fn func(id string)) {
	h.mu.Lock()
	defer h.mu.RUnlock() // HAZ defer-lock-mismatch
	h.disconnectHooks[reason] = fn
}

// Watch registers fn to receive hub events.
func (h *Hub) Watch(fn func(Event)) {
	h.mu.Lock()
	h.watchers = append(h.watchers, fn)
	h.mu.Unlock()
}

// hookFor returns the hook for reason, or a no-op.
func (h *Hub) hookFor(reason string) func(string) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	if fn, ok := h.disconnectHooks[reason]; ok && fn != nil {
		return fn
	}
	return func(string) {}
}

// Quit is Disconnect for reasons that may have no hook registered.
func (h *Hub) Quit(c *Client, reason string) {
	hook := h.hookFor(reason)
	defer hook(c.ID)
	h.Remove(c)
	c.Close()
}

// PumpEvents delivers hub events to watchers. It runs for the life of the
// process in its own goroutine.
func (h *Hub) PumpEvents() {
	for ev := range h.events {
		kind := ev.Kind
		slow := time.AfterFunc(time.Second, func() {
			log.Printf("hub: watchers slow on %s event", kind)
		})
		defer slow.Stop() // HAZ defer-in-infinite-loop
		h.notifyWatchers(ev)
	}
}

// notifyWatchers calls each watcher; a faulty watcher must not stop the
// others.
func (h *Hub) notifyWatchers(ev Event) {
	h.mu.RLock()
	watchers := make([]func(Event), len(h.watchers))
	copy(watchers, h.watchers)
	h.mu.RUnlock()
	for _, w := range watchers {
		func() {
			defer func() { _ = recover() }() // HAZ recover-swallows-panic
			w(ev)
		}()
	}
}

// notifyWatchersLogged is the variant used for audit events: a panicking
// watcher is logged with the event that triggered it.
func (h *Hub) notifyWatchersLogged(ev Event) {
	h.mu.RLock()
	watchers := make([]func(Event), len(h.watchers))
	copy(watchers, h.watchers)
	h.mu.RUnlock()
	for i, w := range watchers {
		func() {
			defer func() {
				if r := recover(); r != nil {
					log.Printf("hub: watcher %d panicked on %s event: %v", i, ev.Kind, r)
				}
			}()
			w(ev)
		}()
	}
}

// PumpAudit is PumpEvents for a dedicated audit channel; it stops when the
// channel is closed. Each event gets its own slow-watcher timer, stopped
// as soon as the watchers return.
func (h *Hub) PumpAudit(events <-chan Event) {
	for ev := range events {
		func() {
			kind := ev.Kind
			slow := time.AfterFunc(time.Second, func() {
				log.Printf("hub: audit watchers slow on %s event", kind)
			})
			defer slow.Stop()
			h.notifyWatchersLogged(ev)
		}()
	}
}
