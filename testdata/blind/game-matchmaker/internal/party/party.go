// Package party manages pre-made groups and invites. Invites travel to the
// invitee's client goroutine as requests carrying their own reply channel.
package party

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Errors returned by the service.
var (
	ErrOffline        = errors.New("player offline")
	ErrNoParty        = errors.New("no such party")
	ErrPartyFull      = errors.New("party full")
	ErrNoPending      = errors.New("no pending invite")
	ErrPartialDisband = errors.New("not every member acknowledged the disband")
)

// MaxSize is the largest party a queue accepts.
const MaxSize = 5

// Invite asks To to join From's party.
type Invite struct {
	ID      string
	From    string
	To      string
	PartyID string
	Sent    time.Time
}

// Reply is the invitee's answer.
type Reply struct {
	Accepted bool
	Reason   string
}

// Request is delivered to the invitee's inbox; the client answers on Reply.
type Request struct {
	Invite Invite
	Reply  chan<- Reply
}

// Party is a group that queues together.
type Party struct {
	ID      string
	Leader  string
	Members []string
}

// Notifier pushes a text notification to a player's client.
type Notifier func(playerID, msg string) bool

// Service holds parties, inboxes and pending invites.
type Service struct {
	timeout time.Duration
	notify  Notifier

	mu      sync.Mutex
	parties map[string]*Party
	byUser  map[string]string // player -> party id

	inboxes sync.Map // player -> chan Request
	pending sync.Map // player -> Invite
	sent    atomic.Int64
}

// NewService returns an empty service.
func NewService(timeout time.Duration, notify Notifier) *Service {
	if notify == nil {
		notify = func(string, string) bool { return true }
	}
	return &Service{
		timeout: timeout,
		notify:  notify,
		parties: make(map[string]*Party),
		byUser:  make(map[string]string),
	}
}

func newID(prefix string) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		return fmt.Sprintf("%s-%d", prefix, time.Now().UnixNano())
	}
	return prefix + "-" + hex.EncodeToString(b[:])
}

// Connect registers a client's inbox and returns it with the func that
// unregisters it. A reconnect replaces the old inbox; the old disconnect
// func then leaves the new one alone.
func (s *Service) Connect(playerID string) (<-chan Request, func()) {
	inbox := make(chan Request, 4)
	s.inboxes.Store(playerID, inbox)
	return inbox, func() {
		s.inboxes.CompareAndDelete(playerID, inbox)
	}
}

func (s *Service) inbox(playerID string) (chan Request, bool) {
	v, ok := s.inboxes.Load(playerID)
	if !ok {
		return nil, false
	}
	return v.(chan Request), true
}

// Create makes leader the owner of a new party.
func (s *Service) Create(leader string) *Party {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id, ok := s.byUser[leader]; ok {
		return s.parties[id]
	}
	p := &Party{ID: newID("pt"), Leader: leader, Members: []string{leader}}
	s.parties[p.ID] = p
	s.byUser[leader] = p.ID
	return p
}

// members returns a copy of the party's member list.
func (s *Service) members(partyID string) []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parties[partyID]
	if !ok {
		return nil
	}
	return append([]string(nil), p.Members...)
}

// join adds playerID to a party.
func (s *Service) join(partyID, playerID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parties[partyID]
	if !ok {
		return ErrNoParty
	}
	if len(p.Members) >= MaxSize {
		return ErrPartyFull
	}
	p.Members = append(p.Members, playerID)
	sort.Strings(p.Members[1:])
	s.byUser[playerID] = partyID
	return nil
}

// Leave removes a player from their party; the party is deleted when the
// last member leaves. The lock is released on both paths.
func (s *Service) Leave(playerID string) {
	s.mu.Lock()
	id, ok := s.byUser[playerID]
	if !ok {
		s.mu.Unlock()
		return
	}
	delete(s.byUser, playerID)
	p := s.parties[id]
	kept := p.Members[:0]
	for _, m := range p.Members {
		if m != playerID {
			kept = append(kept, m)
		}
	}
	p.Members = kept
	if len(kept) == 0 {
		delete(s.parties, id)
	} else if p.Leader == playerID {
		p.Leader = kept[0]
	}
	s.mu.Unlock()
}

// PartyOf returns the id of the player's party.
func (s *Service) PartyOf(playerID string) (string, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id, ok := s.byUser[playerID]
	return id, ok
}

// WaitForAnswer is run by tests and bots standing in for a client: it
// answers the first request in inbox, or gives up when ctx ends.
func WaitForAnswer(ctx context.Context, inbox <-chan Request, accept bool) (Invite, bool) {
	select {
	case req := <-inbox:
		select {
		case req.Reply <- Reply{Accepted: accept}:
		default:
		}
		return req.Invite, true
	case <-ctx.Done():
		return Invite{}, false
	}
}
