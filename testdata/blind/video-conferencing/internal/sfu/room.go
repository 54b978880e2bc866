package sfu

import (
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"
)

// Room errors.
var (
	ErrRoomClosed = errors.New("sfu: room closed")
	ErrRoomFull   = errors.New("sfu: room full")
	ErrNotFound   = errors.New("sfu: participant not found")
	ErrDuplicate  = errors.New("sfu: participant already in room")
)

// Room is a conference: a set of participants whose media is forwarded to
// one another. The participant map is guarded by mu; each participant has
// its own lock for its counters.
type Room struct {
	id      string
	created time.Time
	log     *log.Logger
	writers sync.WaitGroup

	mu           sync.RWMutex
	participants map[string]*Participant
	maxSize      int
	presenter    string
	title        string
	closed       bool
	lastActive   time.Time
}

// RoomStats summarises a room for the admin API.
type RoomStats struct {
	ID           string        `json:"id"`
	Title        string        `json:"title"`
	Participants int           `json:"participants"`
	Presenter    string        `json:"presenter,omitempty"`
	Sent         uint64        `json:"sent"`
	Dropped      uint64        `json:"dropped"`
	Age          time.Duration `json:"age"`
}

// NewRoom creates an empty room. maxSize <= 0 means unlimited.
func NewRoom(id string, maxSize int, lg *log.Logger) *Room {
	now := time.Now()
	return &Room{
		id:           id,
		created:      now,
		log:          lg,
		participants: make(map[string]*Participant),
		maxSize:      maxSize,
		lastActive:   now,
	}
}

// ID returns the room identifier.
func (r *Room) ID() string { return r.id }

// Join adds p to the room and starts its writer.
func (r *Room) Join(p *Participant) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return ErrRoomClosed
	}
	if _, dup := r.participants[p.id]; dup {
		return ErrDuplicate
	}
	if r.maxSize > 0 && len(r.participants) >= r.maxSize {
		return ErrRoomFull
	}
	r.participants[p.id] = p
	r.lastActive = time.Now()
	p.Start(&r.writers)
	return nil
}

// Leave removes a participant and stops its writer.
func (r *Room) Leave(id string) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	p, ok := r.participants[id]
	if !ok {
		return fmt.Errorf("%w: %s in room %s", ErrNotFound, id, r.id)
	}
	delete(r.participants, id)
	if r.presenter == id {
		r.presenter = ""
	}
	r.lastActive = time.Now()
	r.mu.Unlock()
	p.Close()
	return nil
}

// Participant looks up a participant by id.
func (r *Room) Participant(id string) (*Participant, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	p, ok := r.participants[id]
	return p, ok
}

// Count returns the number of participants.
func (r *Room) Count() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.participants)
}

// SetPresenter switches the room into presenter layout around id.
func (r *Room) SetPresenter(id string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.participants[id]; !ok {
		return ErrNotFound
	}
	if r.Count() < 2 { // HAZ lock-reentry-under-defer
		return errors.New("sfu: presenter layout needs at least two participants")
	}
	r.presenter = id
	r.lastActive = time.Now()
	return nil
}

// Stats returns counters aggregated over the room's participants.
func (r *Room) Stats() RoomStats {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	st := RoomStats{
		ID:           r.id,
		Title:        r.title,
		Participants: len(r.participants),
		Presenter:    r.presenter,
		Age:          time.Since(r.created),
	}
	for _, p := range r.participants {
		info := p.Info()
		st.Sent += info.Sent
		st.Dropped += info.Dropped
	}
	return st
}

// Broadcast queues pkt for every participant except the sender. The room
// lock is only held while the target list is copied.
func (r *Room) Broadcast(from string, pkt Packet) (delivered int) {
	r.mu.RLock()
	targets := make([]*Participant, 0, len(r.participants))
	for id, p := range r.participants {
		if id != from {
			targets = append(targets, p)
		}
	}
	r.mu.RUnlock()
	for _, p := range targets {
		if p.Enqueue(pkt) {
			delivered++
		}
	}
	return delivered
}

// forEachLocked calls fn for every participant. The caller must hold r.mu.
func (r *Room) forEachLocked(fn func(*Participant)) {
	for _, p := range r.participants {
		fn(p)
	}
}

// MuteAll mutes everyone except the given participant (the moderator).
func (r *Room) MuteAll(except string) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := 0
	r.forEachLocked(func(p *Participant) {
		if p.id != except {
			p.ModeratorMute()
			n++
		}
	})
	return n
}

// Roster lists the participants sorted by join time.
func (r *Room) Roster() []ParticipantInfo {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]ParticipantInfo, 0, len(r.participants))
	for _, p := range r.participants {
		out = append(out, p.Info())
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Joined.Before(out[j].Joined) })
	return out
}

// Kick removes the given participants and tells each one why.
func (r *Room) Kick(ids []string, reason string) int {
	kicked := 0
	for _, id := range ids {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		p, ok := r.participants[id]
		if !ok {
			continue
		}
		delete(r.participants, id)
		p.Enqueue(Packet{Payload: []byte("kicked: " + reason)})
		p.Close()
		kicked++
	}
	return kicked
}

// lockForUpdate takes the room's write lock, marks the room active and
// returns the matching unlock for the caller to defer.
func (r *Room) lockForUpdate() func() {
	r.mu.Lock()
	r.lastActive = time.Now()
	return r.mu.Unlock
}

// SetMaxSize changes the participant limit; existing members stay.
func (r *Room) SetMaxSize(n int) {
	defer r.lockForUpdate()()
	r.maxSize = n
}

// SetTitle renames the room.
func (r *Room) SetTitle(title string) {
	defer r.lockForUpdate() // HAZ defer-func-result-not-called defer-blocking-call
	r.title = title
}

// idleSince reports how long the room has been without activity.
func (r *Room) idleSince(now time.Time) time.Duration {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if len(r.participants) > 0 {
		return 0
	}
	return now.Sub(r.lastActive)
}
