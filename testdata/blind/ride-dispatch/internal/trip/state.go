// Package trip holds the trip state machine and its JSON-file persistence.
// Every trip is one file <dir>/<id>.json, replaced atomically on each change.
package trip

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"slices"
	"time"

	"example.com/dispatch/internal/geo"
)

// State is a trip lifecycle state.
type State string

const (
	Requested  State = "requested"
	Matched    State = "matched"
	EnRoute    State = "en_route"
	InProgress State = "in_progress"
	Completed  State = "completed"
	Cancelled  State = "cancelled"
)

var allowed = map[State][]State{
	Requested:  {Matched, Cancelled},
	Matched:    {EnRoute, Requested, Cancelled},
	EnRoute:    {InProgress, Requested, Cancelled},
	InProgress: {Completed},
}

// ErrBadTransition is returned for transitions the state machine forbids.
var ErrBadTransition = errors.New("trip: transition not allowed")

// CanTransition reports whether s may move to to.
func (s State) CanTransition(to State) bool {
	return slices.Contains(allowed[s], to)
}

// Terminal reports whether no further transition is possible.
func (s State) Terminal() bool {
	return s == Completed || s == Cancelled
}

// Transition is one entry of a trip's history.
type Transition struct {
	From State     `json:"from"`
	To   State     `json:"to"`
	At   time.Time `json:"at"`
}

// Trip is the persisted trip record.
type Trip struct {
	ID           string       `json:"id"`
	RiderID      string       `json:"rider_id"`
	DriverID     string       `json:"driver_id,omitempty"`
	State        State        `json:"state"`
	Pickup       geo.Point    `json:"pickup"`
	Dropoff      geo.Point    `json:"dropoff"`
	QuotedFare   int64        `json:"quoted_fare"`
	Fare         int64        `json:"fare,omitempty"`
	Surge        float64      `json:"surge"`
	CancelReason string       `json:"cancel_reason,omitempty"`
	Settled      bool         `json:"settled,omitempty"`
	Created      time.Time    `json:"created"`
	Updated      time.Time    `json:"updated"`
	History      []Transition `json:"history"`
}

// Advance moves t to state to, recording the transition.
func (t *Trip) Advance(to State, at time.Time) error {
	if !t.State.CanTransition(to) {
		return fmt.Errorf("%w: %s -> %s (trip %s)", ErrBadTransition, t.State, to, t.ID)
	}
	t.History = append(t.History, Transition{From: t.State, To: to, At: at})
	t.State = to
	t.Updated = at
	if to == Requested {
		t.DriverID = ""
	}
	return nil
}

// Clone returns a deep copy.
func (t *Trip) Clone() *Trip {
	c := *t
	c.History = slices.Clone(t.History)
	return &c
}

// Receipt is what the rider gets by mail after the trip.
type Receipt struct {
	TripID   string    `json:"trip_id"`
	RiderID  string    `json:"rider_id"`
	DriverID string    `json:"driver_id"`
	State    State     `json:"state"`
	Fare     int64     `json:"fare"`
	Surge    float64   `json:"surge"`
	IssuedAt time.Time `json:"issued_at"`
}

// Receipt captures the trip as it is now.
func (t *Trip) Receipt() Receipt {
	return Receipt{
		TripID:   t.ID,
		RiderID:  t.RiderID,
		DriverID: t.DriverID,
		State:    t.State,
		Fare:     t.Fare,
		Surge:    t.Surge,
		IssuedAt: t.Updated,
	}
}

// WriteFile stores the receipt atomically.
func (r Receipt) WriteFile(path string) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return writeFileAtomic(path, data)
}

// syncDir fsyncs a directory so a rename inside it is durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
