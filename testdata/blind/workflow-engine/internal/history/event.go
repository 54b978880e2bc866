// Package history implements the durable, append-only event log behind every
// workflow execution. Events are appended to an active segment file which is
// sealed (flushed, fsynced, closed and renamed into place) when it fills up.
package history

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// EventKind names a transition in a workflow's life.
type EventKind string

const (
	WorkflowStarted   EventKind = "WorkflowStarted"
	ActivityScheduled EventKind = "ActivityScheduled"
	ActivityCompleted EventKind = "ActivityCompleted"
	ActivityFailed    EventKind = "ActivityFailed"
	TimerFired        EventKind = "TimerFired"
	SignalReceived    EventKind = "SignalReceived"
	WorkflowCompleted EventKind = "WorkflowCompleted"
	WorkflowCanceled  EventKind = "WorkflowCanceled"
)

// Event is one record of the history log. Seq is assigned by the Log and is
// strictly increasing across segments.
type Event struct {
	Seq        uint64          `json:"seq"`
	WorkflowID string          `json:"wf"`
	Kind       EventKind       `json:"kind"`
	Time       time.Time       `json:"ts"`
	Payload    json.RawMessage `json:"payload,omitempty"`
}

var (
	ErrSegmentClosed = errors.New("history: segment closed")
	ErrNotFound      = errors.New("history: not found")
)

// Validate reports whether the event is well-formed enough to be appended.
func (e Event) Validate() error {
	switch {
	case e.WorkflowID == "":
		return errors.New("history: event without workflow id")
	case e.Kind == "":
		return fmt.Errorf("history: event for %s without kind", e.WorkflowID)
	case e.Time.IsZero():
		return fmt.Errorf("history: %s event for %s without timestamp", e.Kind, e.WorkflowID)
	}
	if len(e.Payload) > 0 && !json.Valid(e.Payload) {
		return fmt.Errorf("history: %s event for %s has invalid payload", e.Kind, e.WorkflowID)
	}
	return nil
}

const segmentSuffix = ".seg"

func segmentName(first uint64) string {
	return fmt.Sprintf("%020d%s", first, segmentSuffix)
}

func parseSegmentName(name string) (uint64, bool) {
	base, ok := strings.CutSuffix(name, segmentSuffix)
	if !ok || len(base) != 20 {
		return 0, false
	}
	n, err := strconv.ParseUint(base, 10, 64)
	if err != nil {
		return 0, false
	}
	return n, true
}
