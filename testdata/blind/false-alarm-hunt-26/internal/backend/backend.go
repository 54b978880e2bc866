// Package backend models the upstream servers a proxy forwards to: their
// health state, their connection accounting and the pool they live in.
package backend

import (
	"errors"
	"fmt"
	"net"
	"sync"
	"time"
)

var (
	// ErrDraining is returned by Acquire when the backend is being drained.
	ErrDraining = errors.New("backend: draining")
	// ErrSaturated is returned by Acquire when MaxConns is reached.
	ErrSaturated = errors.New("backend: connection limit reached")
)

// State is the rotation state of a backend.
type State int

const (
	StateUp State = iota
	StateDown
	StateDraining
)

func (s State) String() string {
	switch s {
	case StateUp:
		return "up"
	case StateDown:
		return "down"
	case StateDraining:
		return "draining"
	default:
		return fmt.Sprintf("state(%d)", int(s))
	}
}

// Backend is one upstream address. All mutable fields are guarded by mu.
type Backend struct {
	Name     string
	Addr     string
	MaxConns int

	mu        sync.Mutex
	state     State
	active    int
	fails     int
	lastErr   error
	lastCheck time.Time
}

// New returns a backend that starts in rotation.
func New(name, addr string, maxConns int) *Backend {
	return &Backend{Name: name, Addr: addr, MaxConns: maxConns}
}

// Acquire reserves a connection slot. Every successful Acquire must be
// paired with a Release.
func (b *Backend) Acquire() error {
	b.mu.Lock()
	if b.state == StateDraining {
		b.mu.Unlock()
		return ErrDraining
	}
	if b.MaxConns > 0 && b.active >= b.MaxConns {
		b.mu.Unlock()
		return ErrSaturated
	}
	b.active++
	b.mu.Unlock()
	return nil
}

// Release gives back a slot taken by Acquire.
func (b *Backend) Release() {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.active > 0 {
		b.active--
	}
}

// ReportFailure records a failed probe and reports whether the backend just
// crossed the failure threshold and was taken out of rotation.
func (b *Backend) ReportFailure(err error, threshold int) bool {
	b.mu.Lock() // HAZ lock-leaked-on-return
	b.lastErr = err
	b.lastCheck = time.Now()
	if b.state == StateDraining {
		// draining backends are out of rotation already
		return false
	}
	b.fails++
	down := b.state == StateUp && b.fails >= threshold
	if down {
		b.state = StateDown
	}
	b.mu.Unlock()
	return down
}

// ReportSuccess records a passing probe and reports whether the backend came
// back into rotation.
func (b *Backend) ReportSuccess() bool {
	b.mu.Lock()
	b.lastErr = nil
	b.lastCheck = time.Now()
	if b.state == StateDraining {
		b.mu.Unlock()
		return false
	}
	recovered := b.state == StateDown
	b.state = StateUp
	b.fails = 0
	b.mu.Unlock()
	return recovered
}

// Drain takes the backend out of rotation; existing connections finish.
func (b *Backend) Drain() {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.state = StateDraining
}

// Undrain puts a drained backend back under the control of the health
// checker. It starts as down until the next passing probe.
func (b *Backend) Undrain() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	if b.state != StateDraining {
		return false
	}
	b.state = StateDown
	b.fails = 0
	return true
}

// Healthy reports whether new connections may be sent to the backend.
func (b *Backend) Healthy() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.state == StateUp
}

// Status is a point-in-time copy of a backend's state.
type Status struct {
	Name      string    `json:"name"`
	Addr      string    `json:"addr"`
	State     State     `json:"state"`
	Active    int       `json:"active"`
	Fails     int       `json:"fails"`
	LastError string    `json:"last_error,omitempty"`
	LastCheck time.Time `json:"last_check"`
}

// Status returns a snapshot of the backend.
func (b *Backend) Status() Status {
	b.mu.Lock()
	defer b.mu.Unlock()
	st := Status{
		Name:      b.Name,
		Addr:      b.Addr,
		State:     b.state,
		Active:    b.active,
		Fails:     b.fails,
		LastCheck: b.lastCheck,
	}
	if b.lastErr != nil {
		st.LastError = b.lastErr.Error()
	}
	return st
}

// Dial opens a connection to the backend, holding a slot until the returned
// connection is closed.
func (b *Backend) Dial(timeout time.Duration) (net.Conn, error) {
	if err := b.Acquire(); err != nil {
		return nil, err
	}
	conn, err := net.DialTimeout("tcp", b.Addr, timeout)
	if err != nil {
		b.Release()
		return nil, fmt.Errorf("dial %s (%s): %w", b.Name, b.Addr, err)
	}
	return &trackedConn{Conn: conn, b: b}, nil
}

// trackedConn releases the backend slot exactly once, however many times it
// is closed.
type trackedConn struct {
	net.Conn
	b    *Backend
	once sync.Once
}

func (c *trackedConn) Close() error {
	err := c.Conn.Close()
	c.once.Do(c.b.Release)
	return err
}
