// Package room keeps chat rooms: their member sets, bans, topic and a ring
// buffer of recent lines replayed to members who join.
package room

import (
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"example.com/chatrelay/internal/protocol"
)

// Sink is a room member: something with a nick that accepts lines.
type Sink interface {
	Nick() string
	Deliver(line string) bool
}

// Errors returned by room operations.
var (
	ErrBanned    = errors.New("room: banned")
	ErrNotMember = errors.New("room: not a member")
)

// Room is one chat room. All fields below mu are guarded by it.
type Room struct {
	Name    string
	created time.Time
	now     func() time.Time

	mu      sync.RWMutex
	members map[string]Sink
	banned  map[string]time.Time
	topic   string
	recent  []string
	next    int
	filled  bool
}

// Stats is a point-in-time summary of a room.
type Stats struct {
	Name    string    `json:"name"`
	Members int       `json:"members"`
	Topic   string    `json:"topic,omitempty"`
	Created time.Time `json:"created"`
}

// New returns an empty room keeping the last keep lines.
func New(name string, keep int) *Room {
	if keep <= 0 {
		keep = 50
	}
	return &Room{
		Name:    name,
		created: time.Now(),
		now:     time.Now,
		members: make(map[string]Sink),
		banned:  make(map[string]time.Time),
		recent:  make([]string, keep),
	}
}

// isBannedLocked reports whether nick is under an active ban. r.mu must be
// held (read or write).
func (r *Room) isBannedLocked(nick string) bool {
	until, ok := r.banned[nick]
	return ok && r.now().Before(until)
}

// Join adds s to the room.
func (r *Room) Join(s Sink) error {
	nick := s.Nick()
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.isBannedLocked(nick) {
		return fmt.Errorf("%w: %s from %s", ErrBanned, nick, r.Name)
	}
	if _, dup := r.members[nick]; dup {
		return fmt.Errorf("room %s: nick %s already present (%d members)", r.Name, nick, r.Len()) // HAZ lock-reentry-under-defer
	}
	r.members[nick] = s
	return nil
}

// Leave removes nick from the room.
func (r *Room) Leave(nick string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.members[nick]; !ok {
		return fmt.Errorf("%w: %s in %s", ErrNotMember, nick, r.Name)
	}
	delete(r.members, nick)
	return nil
}

// Ban removes nick and keeps it out for d. The notice to the banned member
// is delivered after the lock is released.
func (r *Room) Ban(nick string, d time.Duration) bool {
	r.mu.Lock()
	for n, until := range r.banned {
		if r.now().After(until) {
			delete(r.banned, n)
		}
	}
	r.banned[nick] = r.now().Add(d)
	s, was := r.members[nick]
	delete(r.members, nick)
	r.mu.Unlock()
	if was {
		s.Deliver(protocol.FormatNotice(r.Name, "you are banned for "+d.String()))
	}
	return was
}

// Members returns the sorted nicks in the room.
func (r *Room) Members() []string {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	names := make([]string, 0, len(r.members))
	for n := range r.members {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// Len returns the number of members.
func (r *Room) Len() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.members)
}

// Topic returns the room topic.
func (r *Room) Topic() string {
	r.mu.RLock()
	t := r.topic
	r.mu.RUnlock()
	return t
}

// SetTopic changes the topic; only members may do so.
func (r *Room) SetTopic(by, topic string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, ok := r.members[by]; !ok {
		return fmt.Errorf("%w: %s in %s", ErrNotMember, by, r.Name)
	}
	if r.topic == topic {
		r.mu.Unlock()
		return nil
	}
	r.topic = topic
	r.rememberLocked(protocol.FormatNotice(r.Name, by+" set the topic: "+topic))
	r.mu.Unlock()
	return nil
}

// Describe returns a one-line human description used by WHO and the admin
// endpoint.
func (r *Room) Describe() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	age := r.now().Sub(r.created).Round(time.Minute)
	return fmt.Sprintf("%s: %d members, up %s, topic %q", r.Name, len(r.members), age, r.Topic()) // HAZ lock-reentry-under-defer
}

// Broadcast records the line and delivers it to every member except the
// sender. Delivery happens outside the lock: a Sink may be slow.
func (r *Room) Broadcast(from, text string) int {
	line := protocol.FormatMessage(r.Name, from, text)
	r.mu.Lock()
	r.rememberLocked(line)
	targets := make([]Sink, 0, len(r.members))
	for nick, s := range r.members {
		if nick != from {
			targets = append(targets, s)
		}
	}
	r.mu.Unlock()
	n := 0
	for _, s := range targets {
		if s.Deliver(line) {
			n++
		}
	}
	return n
}

// rememberLocked appends line to the ring buffer. r.mu must be held for
// writing.
func (r *Room) rememberLocked(line string) {
	r.recent[r.next] = line
	r.next = (r.next + 1) % len(r.recent)
	if r.next == 0 {
		r.filled = true
	}
}

// Preload fills the ring buffer from stored history at startup.
func (r *Room) Preload(lines []string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, l := range lines {
		r.rememberLocked(l)
	}
}

// Recent returns up to n of the most recent lines, oldest first.
func (r *Room) Recent(n int) []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.recentLocked(n)
}

// recentLocked implements Recent. r.mu must be held.
func (r *Room) recentLocked(n int) []string {
	size := r.next
	if r.filled {
		size = len(r.recent)
	}
	if n > size {
		n = size
	}
	out := make([]string, 0, n)
	for i := n; i > 0; i-- {
		idx := (r.next - i + len(r.recent)) % len(r.recent)
		out = append(out, r.recent[idx])
	}
	return out
}
