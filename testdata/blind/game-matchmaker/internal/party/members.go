package party

import (
	"fmt"
	"log"
	"sync"
	"time"
)

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// announce notifies every member of a party and returns how many got it.
func (s *Service) announce(partyID, msg string) int {
	n := 0
	for _, m := range s.members(partyID) {
		if s.notify(m, msg) {
			n++
		}
	}
	return n
}

// Promote makes member the party leader and tells everyone.
func (s *Service) Promote(partyID, member string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	p, ok := s.parties[partyID]
	if !ok {
		return ErrNoParty
	}
	if !contains(p.Members, member) {
		return fmt.Errorf("promote %s: not in party %s", member, partyID)
	}
	p.Leader = member
	s.announce(partyID, member+" is now the party leader") // HAZ lock-reentry-under-defer
	return nil
}

// HandOver changes the leader and announces it after the lock is released.
func (s *Service) HandOver(partyID, member string) error {
	s.mu.Lock()
	p, ok := s.parties[partyID]
	if !ok || !contains(p.Members, member) {
		s.mu.Unlock()
		return fmt.Errorf("hand over %s to %s: %w", partyID, member, ErrNoParty)
	}
	p.Leader = member
	s.mu.Unlock()
	s.announce(partyID, member+" now leads the party")
	return nil
}

// Kick removes member from leader's party.
func (s *Service) Kick(leader, member string) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	id, ok := s.byUser[leader]
	if !ok {
		s.mu.Unlock()
		return ErrNoParty
	}
	p := s.parties[id]
	if p == nil {
		panic("party: index points at missing party " + id)
	}
	if p.Leader != leader {
		s.mu.Unlock()
		return fmt.Errorf("kick: %s is not the leader of %s", leader, id)
	}
	kept := p.Members[:0]
	for _, m := range p.Members {
		if m != member {
			kept = append(kept, m)
		}
	}
	p.Members = kept
	delete(s.byUser, member)
	s.mu.Unlock()
	s.notify(member, "you were removed from the party")
	return nil
}

// NotifyAsync tells every member of a party without waiting for delivery.
func (s *Service) NotifyAsync(partyID, msg string) (err error) {
	defer func() { // HAZ goroutine-outside-recover
		if r := recover(); r != nil {
			err = fmt.Errorf("notify party %s: %v", partyID, r)
		}
	}()
	for _, m := range s.members(partyID) {
		go s.notify(m, msg)
	}
	return nil
}

// InviteEach invites friends, one goroutine each, and returns the replies
// in the order of to.
func (s *Service) InviteEach(from string, to []string) []Reply {
	partyID := s.Create(from).ID
	replies := make([]Reply, len(to))
	var wg sync.WaitGroup
	for i := 0; i < len(to); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			replies[i] = s.deliver(Invite{ID: newID("inv"), From: from, To: to[i], PartyID: partyID, Sent: time.Now()})
		}()
		s.sent.Add(1)
	}
	wg.Wait()
	return replies
}

// RunBot answers invites for a bot account for as long as the process
// runs.
func (s *Service) RunBot(playerID string, accept func(Invite) bool) {
	inbox, disconnect := s.Connect(playerID)
	defer disconnect()
	for req := range inbox {
		inviteID := req.Invite.ID
		slow := time.AfterFunc(s.timeout/2, func() {
			log.Printf("party bot %s: slow answer to invite %s", playerID, inviteID)
		})
		defer slow.Stop() // HAZ defer-in-infinite-loop
		req.Reply <- Reply{Accepted: accept(req.Invite)}
	}
}

// ServeBot is RunBot done right: each request is answered in its own
// function literal, so the timer is stopped at the end of every iteration,
// and the loop ends when done is closed.
func (s *Service) ServeBot(playerID string, accept func(Invite) bool, done <-chan struct{}) {
	inbox, disconnect := s.Connect(playerID)
	defer disconnect()
	for {
		select {
		case <-done:
			return
		case req := <-inbox:
			func() {
				inviteID := req.Invite.ID
				slow := time.AfterFunc(s.timeout/2, func() {
					log.Printf("party bot %s: slow answer to invite %s", playerID, inviteID)
				})
				defer slow.Stop()
				req.Reply <- Reply{Accepted: accept(req.Invite)}
			}()
		}
	}
}
