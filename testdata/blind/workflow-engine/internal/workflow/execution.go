package workflow

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"example.com/wfengine/internal/history"
)

// Status is the lifecycle state of an execution.
type Status string

const (
	StatusRunning   Status = "running"
	StatusCompleted Status = "completed"
	StatusCanceled  Status = "canceled"
	StatusFailed    Status = "failed"
)

var ErrUnknownExecution = errors.New("workflow: unknown execution")

// Execution is the state of one workflow run, derived from its history.
type Execution struct {
	ID       string          `json:"id"`
	Workflow string          `json:"workflow"`
	Status   Status          `json:"status"`
	Started  time.Time       `json:"started"`
	Closed   time.Time       `json:"closed,omitempty"`
	Pending  int             `json:"pending_activities"`
	Failures int             `json:"failures"`
	Result   json.RawMessage `json:"result,omitempty"`
	LastSeq  uint64          `json:"last_seq"`
}

type startedPayload struct {
	Workflow string          `json:"workflow"`
	Input    json.RawMessage `json:"input,omitempty"`
}

// IsClosed reports whether the execution reached a terminal state.
func (e *Execution) IsClosed() bool {
	return e.Status != StatusRunning && e.Status != ""
}

// Apply folds one event into the state. Events must arrive in order.
func (e *Execution) Apply(ev history.Event) error {
	if ev.Seq <= e.LastSeq && e.LastSeq != 0 {
		return fmt.Errorf("workflow: %s: event %d replayed after %d", e.ID, ev.Seq, e.LastSeq)
	}
	if e.IsClosed() {
		return fmt.Errorf("workflow: %s: %s event after close", e.ID, ev.Kind)
	}
	switch ev.Kind {
	case history.WorkflowStarted:
		var p startedPayload
		if err := json.Unmarshal(ev.Payload, &p); err != nil {
			return fmt.Errorf("workflow: %s: bad start payload: %w", e.ID, err)
		}
		e.Workflow, e.Status, e.Started = p.Workflow, StatusRunning, ev.Time
	case history.ActivityScheduled:
		e.Pending++
	case history.ActivityCompleted:
		e.Pending--
	case history.ActivityFailed:
		e.Pending--
		e.Failures++
	case history.WorkflowCompleted:
		e.Status, e.Closed, e.Result = StatusCompleted, ev.Time, ev.Payload
	case history.WorkflowCanceled:
		e.Status, e.Closed = StatusCanceled, ev.Time
	case history.TimerFired, history.SignalReceived:
		// no state change; the decision task reads them from history
	default:
		return fmt.Errorf("workflow: %s: unknown event kind %q", e.ID, ev.Kind)
	}
	e.LastSeq = ev.Seq
	return nil
}

// Replay rebuilds the executions described by evs.
func Replay(evs []history.Event) (map[string]*Execution, error) {
	out := make(map[string]*Execution)
	for _, ev := range evs {
		ex, ok := out[ev.WorkflowID]
		if !ok {
			ex = &Execution{ID: ev.WorkflowID}
			out[ev.WorkflowID] = ex
		}
		if err := ex.Apply(ev); err != nil {
			return nil, err
		}
	}
	return out, nil
}
