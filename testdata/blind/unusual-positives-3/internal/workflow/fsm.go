package workflow

import (
	"context"
	"fmt"
	"sync"
)

// AdvanceIf fires ev only when the machine is currently in want.
func (m *Machine) AdvanceIf(want State, ev Event) error {
	current := m.State
	m.mu.Lock()
	defer m.mu.Unlock()
	if current() != want { // HAZ lock-reentry-under-defer
		return fmt.Errorf("%w: %s requires %s", ErrTransition, ev, want)
	}
	next, ok := m.table[want][ev]
	if !ok {
		return fmt.Errorf("%w: %s in %s", ErrTransition, ev, want)
	}
	m.state = next
	m.history = append(m.history, next)
	return nil
}

// FireCtx applies events in order, checking for cancellation before each.
func (m *Machine) FireCtx(ctx context.Context, evs []Event) error {
	for _, ev := range evs {
		m.mu.Lock() // HAZ lock-leaked-on-return
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		if next, ok := m.table[m.state][ev]; ok {
			m.state = next
			m.history = append(m.history, next)
		}
		m.mu.Unlock()
	}
	return nil
}

// FireEach is FireCtx with the cancellation check outside the lock.
func (m *Machine) FireEach(ctx context.Context, evs []Event) error {
	for _, ev := range evs {
		select {
		case <-ctx.Done():
			return ctx.Err()
		default:
		}
		m.mu.Lock()
		if next, ok := m.table[m.state][ev]; ok {
			m.state = next
			m.history = append(m.history, next)
		}
		m.mu.Unlock()
	}
	return nil
}

// Reset returns the machine to initial unless a run is in progress.
func (m *Machine) Reset(initial State) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	if m.state == StateRunning {
		return fmt.Errorf("%w: reset while running", ErrTransition)
	}
	defer m.mu.Unlock()
	m.state = initial
	m.history = append(m.history[:0], initial)
	return nil
}

// Restart is Reset with the unlock deferred before any early return.
func (m *Machine) Restart(initial State) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state == StateRunning {
		return fmt.Errorf("%w: restart while running", ErrTransition)
	}
	m.state = initial
	m.history = append(m.history[:0], initial)
	return nil
}

// CountIn returns how many of the machines with the given ids are in s.
func CountIn(machines map[string]*Machine, ids []string, s State) int {
	n := 0
	for _, id := range ids {
		m, ok := machines[id]
		if !ok {
			continue
		}
		m.mu.Lock()
		defer m.mu.Unlock() // HAZ defer-in-loop
		if m.state == s {
			n++
		}
	}
	return n
}

// boardView is the shared state behind a Board.
type boardView struct {
	mu     sync.RWMutex
	states map[string]State
}

// Board is the read-mostly status board shown on the admin page.
type Board struct {
	view *boardView
}

// NewBoard returns an empty board.
func NewBoard() *Board {
	return &Board{view: &boardView{states: make(map[string]State)}}
}

// Set records the state of run id.
func (b *Board) Set(id string, s State) {
	b.view.mu.Lock()
	defer b.view.mu.Unlock()
	b.view.states[id] = s
}

// Get returns the state of run id.
func (b *Board) Get(id string) (State, bool) {
	b.view.mu.RLock()
	defer b.view.mu.RUnlock()
	s, ok := b.view.states[id]
	return s, ok
}

// Count returns the number of runs in state s.
func (b *Board) Count(s State) int {
	b.view.mu.RLock()
	defer b.view.mu.Unlock() // HAZ defer-lock-mismatch
	n := 0
	for _, st := range b.view.states {
		if st == s {
			n++
		}
	}
	return n
}
