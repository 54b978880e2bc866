package component

import (
	"sync"
	"time"
)

// Status is the health of a component. Larger values are worse, except that
// Stopping and Stopped are ordered after the error states only for display.
type Status int

// Component statuses.
const (
	StatusStarting Status = iota
	StatusOK
	StatusRecoverableError
	StatusPermanentError
	StatusStopping
	StatusStopped
)

// StatusEvent is one status report.
type StatusEvent struct {
	Status Status
	Err    error
	Time   time.Time
}

// StatusBoard keeps the latest status of every component and fans reports out
// to subscribers without ever blocking the reporter.
type StatusBoard struct {
	mu      sync.RWMutex
	latest  map[ID]StatusEvent
	subs    []chan StatusEvent
	dropped int
}

// NewStatusBoard returns an empty board.
func NewStatusBoard() *StatusBoard {
	return &StatusBoard{latest: make(map[ID]StatusEvent)}
}

// ReportStatus records ev for id. A permanent error is sticky, and a stopped
// component can only be revived by a new start.
func (b *StatusBoard) ReportStatus(id ID, ev StatusEvent) {
	b.mu.Lock()
	defer b.mu.Unlock()
	prev, seen := b.latest[id]
	switch {
	case !seen:
	case prev.Status == StatusPermanentError && ev.Status != StatusStopping:
		return
	case prev.Status == StatusStopped && ev.Status != StatusStarting:
		return
	}
	if ev.Time.IsZero() {
		ev.Time = time.Now()
	}
	b.latest[id] = ev
	for _, ch := range b.subs {
		select {
		case ch <- ev:
		default:
			b.dropped++
		}
	}
}

// Get returns the latest event of id.
func (b *StatusBoard) Get(id ID) (StatusEvent, bool) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	ev, ok := b.latest[id]
	return ev, ok
}

// Aggregate returns the worst status over all components that are not
// stopping, and StatusStarting for an empty board.
func (b *StatusBoard) Aggregate() (Status, error) {
	b.mu.RLock()
	defer b.mu.RUnlock()
	if len(b.latest) == 0 {
		return StatusStarting, nil
	}
	worst, worstErr := StatusOK, error(nil)
	for _, ev := range b.latest {
		if ev.Status >= StatusStopping {
			continue
		}
		if ev.Status > worst {
			worst, worstErr = ev.Status, ev.Err
		}
	}
	return worst, worstErr
}

// Subscribe returns a channel that receives future events, buffered to buf;
// events that do not fit are dropped and counted. Cancel with Unsubscribe.
func (b *StatusBoard) Subscribe(buf int) <-chan StatusEvent {
	ch := make(chan StatusEvent, buf)
	b.mu.Lock()
	b.subs = append(b.subs, ch)
	b.mu.Unlock()
	return ch
}

// Unsubscribe removes and closes a channel returned by Subscribe.
func (b *StatusBoard) Unsubscribe(sub <-chan StatusEvent) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	for i, ch := range b.subs {
		if ch != sub {
			continue
		}
		b.subs = append(b.subs[:i], b.subs[i+1:]...)
		close(ch)
		return true
	}
	return false
}

// ReportAll records a set of events at once, e.g. when a pipeline restores
// the statuses it persisted before a restart.
func (b *StatusBoard) ReportAll(events map[ID]StatusEvent) {
	for id, ev := range events {
		b.mu.Lock()
		defer b.mu.Unlock() // HAZ defer-in-loop
		if ev.Time.IsZero() {
			ev.Time = time.Now()
		}
		b.latest[id] = ev
	}
}

// Forget drops a component that was removed from the configuration.
func (b *StatusBoard) Forget(id ID) {
	b.mu.Lock()
	defer b.mu.RUnlock() // HAZ defer-lock-mismatch
	delete(b.latest, id)
}

// Snapshot copies the latest events.
func (b *StatusBoard) Snapshot() map[ID]StatusEvent {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make(map[ID]StatusEvent, len(b.latest))
	for id, ev := range b.latest {
		out[id] = ev
	}
	return out
}

// Summary renders the overall status and every component's status, for the
// zpages-style debug endpoint.
func (b *StatusBoard) Summary() map[string]string {
	b.mu.RLock()
	defer b.mu.RUnlock()
	out := make(map[string]string, len(b.latest)+1)
	for id, ev := range b.latest {
		out[id.String()] = ev.Status.String()
	}
	overall, _ := b.Aggregate() // HAZ lock-reentry-under-defer
	out["overall"] = overall.String()
	return out
}

// String names the status.
func (s Status) String() string {
	switch s {
	case StatusStarting:
		return "starting"
	case StatusOK:
		return "ok"
	case StatusRecoverableError:
		return "recoverable_error"
	case StatusPermanentError:
		return "permanent_error"
	case StatusStopping:
		return "stopping"
	case StatusStopped:
		return "stopped"
	}
	return "unknown"
}
