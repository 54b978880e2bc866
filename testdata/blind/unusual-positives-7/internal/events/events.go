// Package events keeps the mirror's in-memory index up to date from a
// stream of change events.
package events

// Event is a change to the mirror.
type Event interface {
	eventKey() string
}

// Added says a file was mirrored.
type Added struct {
	Key  string
	Size int64
}

// Removed says a file was dropped.
type Removed struct {
	Key string
}

// Barrier marks a point in a queue where draining stops.
type Barrier struct{}

func (e Added) eventKey() string   { return e.Key }
func (e Removed) eventKey() string { return e.Key }
func (Barrier) eventKey() string   { return "" }

// kindOf names the kind of an event for dispatch tables.
func kindOf(ev Event) string {
	switch ev.(type) {
	case Added:
		return "added"
	case Removed:
		return "removed"
	case Barrier:
		return "barrier"
	default:
		return "unknown"
	}
}
