package member

import (
	"fmt"
	"time"
)

// EventType says what happened to a peer.
type EventType int

// Event types.
const (
	EventJoin EventType = iota
	EventLeave
	EventUpdate
)

// String returns the lower-case name of the event type.
func (t EventType) String() string {
	switch t {
	case EventJoin:
		return "join"
	case EventLeave:
		return "leave"
	case EventUpdate:
		return "update"
	}
	return fmt.Sprintf("event(%d)", int(t))
}

// Event is a membership change.
type Event struct {
	Type EventType
	Peer string
	At   time.Time
}

// View is a consistent picture of the membership at one version.
type View struct {
	Version uint64
	Members []string
	subs    []chan<- *View
}

// SubscribeViews registers ch to receive a new View after each batch of
// updates. Views are dropped when ch is full.
func (l *List) SubscribeViews(ch chan<- *View) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.viewSubs = append(l.viewSubs, ch)
}

// view takes a snapshot of the list.
func (l *List) view() *View {
	l.mu.RLock()
	defer l.mu.RUnlock()
	return &View{
		Version: l.version,
		Members: append([]string(nil), l.order...),
		subs:    append([]chan<- *View(nil), l.viewSubs...),
	}
}

// broadcast hands v to each subscriber that has room for it.
func (v *View) broadcast() {
	for _, s := range v.subs {
		select {
		case s <- v:
		default:
		}
	}
}

// PublishView sends the current view to the subscribers.
func (l *List) PublishView() {
	l.view().broadcast()
}

// ApplyUpdates merges a batch of gossiped updates and publishes the resulting
// view to subscribers.
func (l *List) ApplyUpdates(ups []Update) (changed int) {
	defer l.view().broadcast() // HAZ defer-call-chain
	for _, u := range ups {
		if u.ID == l.self {
			continue
		}
		p, ok := l.Get(u.ID)
		if !ok {
			p = NewPeer(u.ID, u.Addr)
			if l.Add(p) {
				changed++
			}
		}
		if p.Apply(u.State, u.Incarnation) {
			changed++
		}
	}
	if changed > 0 {
		l.bumpVersion()
	}
	return changed
}
