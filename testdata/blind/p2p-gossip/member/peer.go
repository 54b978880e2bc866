// Package member keeps the cluster membership: the peers we know of, their
// state and incarnation numbers, and watchers interested in changes.
package member

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// State is the liveness state of a peer as seen by this node.
type State int

// Peer states, ordered so that a higher state overrides a lower one at the
// same incarnation.
const (
	StateAlive State = iota
	StateSuspect
	StateDead
	StateLeft
)

// ErrLeft is returned when updating a peer that has left the cluster.
var ErrLeft = errors.New("member: peer has left")

// String returns the lower-case name of the state.
func (s State) String() string {
	switch s {
	case StateAlive:
		return "alive"
	case StateSuspect:
		return "suspect"
	case StateDead:
		return "dead"
	case StateLeft:
		return "left"
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Peer is one member of the cluster. ID and Addr never change; the rest is
// guarded by the peer's own lock.
type Peer struct {
	ID   string
	Addr string

	mu          sync.Mutex
	state       State
	incarnation uint64
	lastSeen    time.Time
	meta        map[string]string
}

// NewPeer returns an alive peer seen now.
func NewPeer(id, addr string) *Peer {
	return &Peer{ID: id, Addr: addr, lastSeen: time.Now()}
}

// Snapshot returns the peer's state and incarnation.
func (p *Peer) Snapshot() (State, uint64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.state, p.incarnation
}

// LastSeen reports when we last heard from the peer.
func (p *Peer) LastSeen() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.lastSeen
}

// Touch records that the peer was heard from at now.
func (p *Peer) Touch(now time.Time) {
	p.mu.Lock()
	if now.After(p.lastSeen) {
		p.lastSeen = now
	}
	p.mu.Unlock()
}

// TryTouch is Touch for the hot receive path: it gives up if the peer is busy.
func (p *Peer) TryTouch(now time.Time) bool {
	if !p.mu.TryLock() {
		return false
	}
	defer p.mu.Unlock()
	if now.After(p.lastSeen) {
		p.lastSeen = now
	}
	return true
}

// Apply applies a state update if it is newer than what we have. It reports
// whether anything changed.
func (p *Peer) Apply(st State, inc uint64) bool {
	p.mu.Lock()
	if inc < p.incarnation {
		p.mu.Unlock()
		return false
	}
	if inc == p.incarnation && st <= p.state {
		p.mu.Unlock()
		return false
	}
	p.state = st
	p.incarnation = inc
	p.mu.Unlock()
	return true
}

// Refute is called when we are told that we are suspected: it bumps the
// incarnation past inc so that our alive message wins.
func (p *Peer) Refute(inc uint64) (uint64, bool) {
	p.mu.Lock()
	switch {
	case p.state == StateLeft:
		p.mu.Unlock()
		return 0, false
	case inc >= p.incarnation:
		p.incarnation = inc + 1
	}
	p.state = StateAlive
	out := p.incarnation
	p.mu.Unlock()
	return out, true
}

// SetMeta sets one metadata tag on the peer.
func (p *Peer) SetMeta(key, value string) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	if p.state == StateLeft {
		return fmt.Errorf("set %s on %s: %w", key, p.ID, ErrLeft)
	}
	if p.meta == nil {
		p.meta = make(map[string]string)
	}
	p.meta[key] = value
	p.mu.Unlock()
	return nil
}

// Meta returns a copy of the peer's metadata.
func (p *Peer) Meta() map[string]string {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make(map[string]string, len(p.meta))
	for k, v := range p.meta {
		out[k] = v
	}
	return out
}
