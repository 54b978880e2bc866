package store

import (
	"time"
)

// Snapshot is a copy of the store's events in insertion order.
type Snapshot struct {
	Taken  time.Time
	Events []Event
}

// Snapshot copies the current content of the store.
func (s *Store) Snapshot() Snapshot {
	s.mu.RLock()
	defer s.mu.RUnlock()
	sn := Snapshot{Taken: s.clk.Now(), Events: make([]Event, 0, len(s.order))}
	for _, id := range s.order {
		sn.Events = append(sn.Events, s.items[id])
	}
	return sn
}

// Dump writes a human-readable listing of the snapshot through logf, which
// has the signature of testing.T.Logf and log.Printf.
func (sn Snapshot) Dump(logf func(format string, args ...any)) {
	logf("snapshot at %s: %d events", sn.Taken.Format(time.RFC3339), len(sn.Events))
	for _, ev := range sn.Events {
		logf("- %s %s %d bytes", ev.ID, ev.Topic, len(ev.Payload))
	}
}

// Topics returns the number of events per topic.
func (sn Snapshot) Topics() map[string]int {
	m := make(map[string]int)
	for _, ev := range sn.Events {
		m[ev.Topic]++
	}
	return m
}
