// Package workflow implements the workflow engine: run state machines, step
// execution, the run journal and the scheduler.
package workflow

import (
	"errors"
	"fmt"
	"sync"
)

// State is the state of a run.
type State string

// Run states.
const (
	StatePending   State = "pending"
	StateQueued    State = "queued"
	StateRunning   State = "running"
	StateDone      State = "done"
	StateFailed    State = "failed"
	StateCancelled State = "cancelled"
)

// Event drives a state transition.
type Event string

// Events.
const (
	EventQueue  Event = "queue"
	EventStart  Event = "start"
	EventFinish Event = "finish"
	EventFail   Event = "fail"
	EventCancel Event = "cancel"
	EventRetry  Event = "retry"
)

// DefaultTable is the transition table used by runs.
var DefaultTable = map[State]map[Event]State{
	StatePending: {EventQueue: StateQueued, EventCancel: StateCancelled},
	StateQueued:  {EventStart: StateRunning, EventCancel: StateCancelled},
	StateRunning: {EventFinish: StateDone, EventFail: StateFailed, EventCancel: StateCancelled},
	StateFailed:  {EventRetry: StateQueued},
}

// ErrTransition reports an event that is not allowed in the current state.
var ErrTransition = errors.New("workflow: transition not allowed")

// Machine is a small state machine with enter hooks.
type Machine struct {
	mu      sync.Mutex
	state   State
	table   map[State]map[Event]State
	onEnter map[State]func(from State)
	history []State
}

// NewMachine returns a machine in state initial.
func NewMachine(initial State, table map[State]map[Event]State) *Machine {
	return &Machine{state: initial, table: table, onEnter: make(map[State]func(State)), history: []State{initial}}
}

// OnEnter registers fn to run whenever the machine enters s.
func (m *Machine) OnEnter(s State, fn func(from State)) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.onEnter[s] = fn
}

// State returns the current state.
func (m *Machine) State() State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.state
}

// Fire applies ev. The enter hook runs after the lock is released, so it may
// inspect or drive the machine.
func (m *Machine) Fire(ev Event) error {
	m.mu.Lock()
	next, ok := m.table[m.state][ev]
	if !ok {
		cur := m.state
		m.mu.Unlock()
		return fmt.Errorf("%w: %s in %s", ErrTransition, ev, cur)
	}
	from := m.state
	m.state = next
	m.history = append(m.history, next)
	hook := m.onEnter[next]
	m.mu.Unlock()
	if hook != nil {
		hook(from)
	}
	return nil
}

// Replay applies recorded events in order and stops at the first invalid
// one. Enter hooks are not run during replay.
func (m *Machine) Replay(events []Event) (int, error) {
	applied := 0
	for _, ev := range events {
		m.mu.Lock() // HAZ lock-leaked-on-return
		next, ok := m.table[m.state][ev]
		switch {
		case !ok:
			return applied, fmt.Errorf("replay: %w: %s in %s", ErrTransition, ev, m.state)
		case next == m.state:
			m.mu.Unlock()
			continue
		}
		m.state = next
		m.history = append(m.history, next)
		m.mu.Unlock()
		applied++
	}
	return applied, nil
}

// FireAll applies events in order, skipping those not allowed in the current
// state, and returns how many were applied.
func (m *Machine) FireAll(events []Event) int {
	applied := 0
next:
	for _, ev := range events {
		m.mu.Lock()
		to, ok := m.table[m.state][ev]
		if !ok {
			m.mu.Unlock()
			continue next
		}
		m.state = to
		m.history = append(m.history, to)
		m.mu.Unlock()
		applied++
	}
	return applied
}

// History returns a copy of the states the machine went through.
func (m *Machine) History() []State {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]State(nil), m.history...)
}

// Check validates that ev is allowed now, wrapping the error with context.
func (m *Machine) Check(ev Event) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("check %s: %w", ev, err)
		}
	}()
	m.mu.Lock()
	_, ok := m.table[m.state][ev]
	cur := m.state
	m.mu.Unlock()
	if !ok {
		return fmt.Errorf("%w: %s in %s", ErrTransition, ev, cur)
	}
	return nil
}
