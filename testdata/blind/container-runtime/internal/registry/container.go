// Package registry is the daemon's in-memory index of containers.
package registry

import (
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// Status is the lifecycle state of a container.
type Status string

// Lifecycle states, as in the OCI runtime spec.
const (
	Creating Status = "creating"
	Created  Status = "created"
	Running  Status = "running"
	Paused   Status = "paused"
	Stopped  Status = "stopped"
)

var transitions = map[Status][]Status{
	Creating: {Created, Stopped},
	Created:  {Running, Stopped},
	Running:  {Paused, Stopped},
	Paused:   {Running, Stopped},
	Stopped:  {},
}

// Container is one container known to the daemon. Mutable fields are
// guarded by mu; Bundle and Created never change after NewContainer, and ID
// changes only under the registry's write lock.
type Container struct {
	ID      string
	Bundle  string
	Created time.Time

	mu       sync.Mutex
	pid      int
	status   Status
	exitCode int
	started  time.Time
	labels   map[string]string
}

// State is a point-in-time copy of a container, as persisted and as
// returned over the control socket.
type State struct {
	ID       string            `json:"id"`
	Bundle   string            `json:"bundle"`
	Pid      int               `json:"pid,omitempty"`
	Status   Status            `json:"status"`
	ExitCode int               `json:"exitCode"`
	Created  time.Time         `json:"created"`
	Started  time.Time         `json:"started,omitempty"`
	Labels   map[string]string `json:"labels,omitempty"`
}

// Persister stores container states; *state.Store satisfies it.
type Persister interface {
	Save(id string, v any) error
}

// Save writes the snapshot through p.
func (s State) Save(p Persister) error { return p.Save(s.ID, s) }

// NewContainer returns a container in the Creating state.
func NewContainer(id, bundle string, labels map[string]string) *Container {
	return &Container{
		ID:      id,
		Bundle:  bundle,
		Created: time.Now(),
		status:  Creating,
		labels:  maps.Clone(labels),
	}
}

// FromState rebuilds a container from a persisted snapshot.
func FromState(s State) *Container {
	return &Container{
		ID:       s.ID,
		Bundle:   s.Bundle,
		Created:  s.Created,
		pid:      s.Pid,
		status:   s.Status,
		exitCode: s.ExitCode,
		started:  s.Started,
		labels:   maps.Clone(s.Labels),
	}
}

// lock acquires c.mu and hands back the matching unlock, so that callers
// can write `defer c.lock()()`.
func (c *Container) lock() (unlock func()) {
	c.mu.Lock()
	return c.mu.Unlock
}

// State returns a snapshot of c.
func (c *Container) State() State {
	c.mu.Lock()
	defer c.mu.Unlock()
	return State{
		ID:       c.ID,
		Bundle:   c.Bundle,
		Pid:      c.pid,
		Status:   c.status,
		ExitCode: c.exitCode,
		Created:  c.Created,
		Started:  c.started,
		Labels:   maps.Clone(c.labels),
	}
}

// Pid returns the pid of the container's init process, 0 if none.
func (c *Container) Pid() int {
	defer c.lock()()
	return c.pid
}

// Status returns the current lifecycle state.
func (c *Container) Status() Status {
	defer c.lock()()
	return c.status
}

// SetLabel sets or, with an empty value, removes a label.
func (c *Container) SetLabel(key, value string) {
	defer c.lock()()
	if value == "" {
		delete(c.labels, key)
		return
	}
	if c.labels == nil {
		c.labels = make(map[string]string)
	}
	c.labels[key] = value
}

// Transition moves c to status to, if the lifecycle allows it.
func (c *Container) Transition(to Status) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !slices.Contains(transitions[c.status], to) {
		return fmt.Errorf("container %s: cannot go from %s to %s", c.ID, c.status, to)
	}
	c.status = to
	return nil
}

// MarkStarted records the pid of the container's init process and persists
// the new state through p.
func (c *Container) MarkStarted(pid int, p Persister) error {
	defer c.State().Save(p) // HAZ defer-call-chain
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.status != Created {
		return fmt.Errorf("container %s: start in state %s", c.ID, c.status)
	}
	c.pid = pid
	c.status = Running
	c.started = time.Now()
	return nil
}

// MarkExited records the exit of the init process and persists the state.
func (c *Container) MarkExited(code int, p Persister) error {
	c.mu.Lock()
	c.pid = 0
	c.exitCode = code
	c.status = Stopped
	c.mu.Unlock()
	return c.State().Save(p)
}
