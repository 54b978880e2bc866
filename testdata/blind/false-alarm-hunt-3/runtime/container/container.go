// Package container implements the container state machine and the daemon's
// in-memory container store.
//
// Locking: Daemon.mu is always acquired before any Container.mu. Methods whose
// names end in "Locked" must be called with the receiver's mu held.
package container

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"
)

// State is a container lifecycle state.
type State int

// Lifecycle states.
const (
	StateCreated State = iota
	StateRunning
	StatePaused
	StateStopped
	StateRemoving
)

func (s State) String() string {
	switch s {
	case StateCreated:
		return "created"
	case StateRunning:
		return "running"
	case StatePaused:
		return "paused"
	case StateStopped:
		return "stopped"
	case StateRemoving:
		return "removing"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// ErrNotFound is returned for unknown containers.
var ErrNotFound = errors.New("container: not found")

// Container is one container's mutable state.
type Container struct {
	ID   string
	Name string

	mu           sync.Mutex
	state        State
	pid          int
	exitCode     int
	startedAt    time.Time
	finishedAt   time.Time
	waiters      []chan int
	labels       map[string]string
	restartCount int
	stateChanged *sync.Cond
}

// New returns a created container.
func New(id, name string) *Container {
	c := &Container{ID: id, Name: name, labels: map[string]string{}}
	c.stateChanged = sync.NewCond(&c.mu)
	return c
}

// setStateLocked changes state and wakes waiters. Caller must hold c.mu.
func (c *Container) setStateLocked(s State) {
	c.state = s
	if s == StateStopped {
		c.notifyWaitersLocked()
	}
	c.stateChanged.Broadcast()
}

// notifyWaitersLocked delivers the exit code. Caller must hold c.mu. Every
// waiter channel has capacity 1 and receives exactly one value.
func (c *Container) notifyWaitersLocked() {
	for _, w := range c.waiters {
		w <- c.exitCode
	}
	c.waiters = nil
}

// State returns the current state.
func (c *Container) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.state
}

// SetRunning records a started process.
func (c *Container) SetRunning(pid int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.pid = pid
	c.startedAt = time.Now()
	c.setStateLocked(StateRunning) // ok: a *Locked helper, does not lock
}

// SetStopped records process exit.
func (c *Container) SetStopped(code int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.exitCode = code
	c.pid = 0
	c.finishedAt = time.Now()
	c.setStateLocked(StateStopped)
}

// Pause moves a running container to paused.
func (c *Container) Pause() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.state != StateRunning {
		return fmt.Errorf("container %s is %s, not running", c.ID, c.state) // ok: deferred unlock runs
	}
	c.setStateLocked(StatePaused)
	return nil
}

// Unpause moves a paused container back to running.
func (c *Container) Unpause() error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.state != StatePaused {
		return fmt.Errorf("container %s is %s, not paused", c.ID, c.state)
	}
	c.setStateLocked(StateRunning)
	c.mu.Unlock()
	return nil
}

// Resume is Unpause with both paths unlocking explicitly.
func (c *Container) Resume() error {
	c.mu.Lock()
	if c.state != StatePaused {
		st := c.state
		c.mu.Unlock()
		return fmt.Errorf("container %s is %s, not paused", c.ID, st)
	}
	c.setStateLocked(StateRunning)
	c.mu.Unlock()
	return nil
}

// Wait returns a channel that receives the exit code once.
func (c *Container) Wait() <-chan int {
	ch := make(chan int, 1)
	c.mu.Lock()
	if c.state == StateStopped {
		code := c.exitCode
		c.mu.Unlock()
		ch <- code // ok: buffered, we are the only sender
		return ch
	}
	c.waiters = append(c.waiters, ch)
	c.mu.Unlock()
	return ch
}

// WaitState blocks until the container reaches one of states.
func (c *Container) WaitState(states ...State) State {
	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.inLocked(states) {
		c.stateChanged.Wait() // ok: condition re-checked in a loop, mu held
	}
	return c.state
}

func (c *Container) inLocked(states []State) bool {
	for _, s := range states {
		if c.state == s {
			return true
		}
	}
	return false
}

// WaitStateTimeout is WaitState bounded by d. A helper goroutine broadcasts
// when the deadline passes so the Cond loop can observe it.
func (c *Container) WaitStateTimeout(d time.Duration, states ...State) (State, bool) {
	deadline := time.Now().Add(d)
	t := time.AfterFunc(d, func() {
		c.mu.Lock()
		c.stateChanged.Broadcast()
		c.mu.Unlock()
	})
	defer t.Stop()

	c.mu.Lock()
	defer c.mu.Unlock()
	for !c.inLocked(states) {
		if !time.Now().Before(deadline) {
			return c.state, false
		}
		c.stateChanged.Wait()
	}
	return c.state, true
}

// SetLabel sets a label.
func (c *Container) SetLabel(k, v string) {
	c.mu.Lock()
	c.labels[k] = v
	c.mu.Unlock()
}

// Labels returns a sorted copy of the labels as k=v pairs.
func (c *Container) Labels() []string {
	c.mu.Lock()
	out := make([]string, 0, len(c.labels))
	for k, v := range c.labels {
		out = append(out, k+"="+v)
	}
	c.mu.Unlock()
	sort.Strings(out)
	return out
}

// Summary is a point-in-time view of a container.
type Summary struct {
	ID, Name string
	State    State
	Pid      int
	Uptime   time.Duration
}

// summary snapshots the container; it takes c.mu itself.
func (c *Container) summary() Summary {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.summaryLocked()
}

// summaryLocked builds a summary. Caller must hold c.mu.
func (c *Container) summaryLocked() Summary {
	s := Summary{ID: c.ID, Name: c.Name, State: c.state, Pid: c.pid}
	if c.state == StateRunning {
		s.Uptime = time.Since(c.startedAt)
	}
	return s
}

// RecordRestart bumps the restart counter and reports whether the policy
// allows another restart.
func (c *Container) RecordRestart(max int) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if max >= 0 && c.restartCount >= max {
		return false
	}
	c.restartCount++
	return true
}

// Lock exposes the container lock to the daemon for multi-step updates. The
// caller must call Unlock. Used by Daemon.Update.
func (c *Container) Lock() { c.mu.Lock() }

// Unlock releases the lock taken by Lock.
func (c *Container) Unlock() { c.mu.Unlock() }

// ApplyLocked applies fn to the container. Caller must hold the lock taken
// through Lock.
func (c *Container) ApplyLocked(fn func(*Container) error) error {
	if c.state == StateRemoving {
		return fmt.Errorf("container %s is being removed", c.ID)
	}
	return fn(c)
}
