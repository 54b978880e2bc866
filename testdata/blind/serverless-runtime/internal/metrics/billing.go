package metrics

import (
	"sync"
	"sync/atomic"
	"time"
)

// Event is one billed invocation.
type Event struct {
	ID       uint64    `json:"id"`
	Function string    `json:"function"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
}

// Duration is the billed time.
func (e Event) Duration() time.Duration { return e.End.Sub(e.Start) }

// Meter records invocation start and stop times for billing. Completed
// events are offered to a bounded channel; when the consumer falls behind
// events are counted as dropped rather than blocking the invocation path.
type Meter struct {
	seq     atomic.Uint64
	open    sync.Map // id -> Event
	events  chan Event
	dropped atomic.Int64
}

// NewMeter returns a meter whose event channel holds buffer events.
func NewMeter(buffer int) *Meter {
	return &Meter{events: make(chan Event, buffer)}
}

// Start opens an event for fn at the given time and returns its id.
func (m *Meter) Start(fn string, at time.Time) uint64 {
	id := m.seq.Add(1)
	m.open.Store(id, Event{ID: id, Function: fn, Start: at})
	return id
}

// Stop closes event id at the given time.
func (m *Meter) Stop(id uint64, at time.Time) {
	v, ok := m.open.LoadAndDelete(id)
	if !ok {
		return
	}
	ev := v.(Event)
	ev.End = at
	select {
	case m.events <- ev:
	default:
		m.dropped.Add(1)
	}
}

// Events returns the channel of completed events.
func (m *Meter) Events() <-chan Event { return m.events }

// Dropped returns how many events were lost to back-pressure.
func (m *Meter) Dropped() int64 { return m.dropped.Load() }
