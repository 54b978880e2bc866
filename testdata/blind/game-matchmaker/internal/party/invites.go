package party

import (
	"context"
	"fmt"
	"sort"
	"sync"
	"time"
)

// deliver puts an invite in the invitee's inbox and waits for the answer.
// The reply channel has room for the answer, so a client that answers
// after the timeout never blocks.
func (s *Service) deliver(inv Invite) Reply {
	inbox, ok := s.inbox(inv.To)
	if !ok {
		return Reply{Reason: ErrOffline.Error()}
	}
	reply := make(chan Reply, 1)
	timer := time.NewTimer(s.timeout)
	defer timer.Stop()
	select {
	case inbox <- Request{Invite: inv, Reply: reply}:
		s.pending.Store(inv.To, inv)
	case <-timer.C:
		return Reply{Reason: "inbox full"}
	}
	select {
	case r := <-reply:
		return r
	case <-timer.C:
		return Reply{Reason: "no answer"}
	}
}

// Invite sends an invite from a party member and waits for the answer or
// for the caller's context to end.
func (s *Service) Invite(ctx context.Context, from, to string) (Reply, error) {
	partyID, ok := s.PartyOf(from)
	if !ok {
		partyID = s.Create(from).ID
	}
	inv := Invite{ID: newID("inv"), From: from, To: to, PartyID: partyID, Sent: time.Now()}
	result := make(chan Reply)
	go func() {
		result <- s.deliver(inv) // HAZ goroutine-blocked-send
	}()
	select {
	case r := <-result:
		return r, nil
	case <-ctx.Done():
		return Reply{}, ctx.Err()
	}
}

// InviteMany invites several friends at once. The result channel is
// buffered for every sender, so returning early on ctx never strands one.
func (s *Service) InviteMany(ctx context.Context, from string, to []string) map[string]Reply {
	partyID, ok := s.PartyOf(from)
	if !ok {
		partyID = s.Create(from).ID
	}
	type result struct {
		to    string
		reply Reply
	}
	results := make(chan result, len(to))
	for _, t := range to {
		inv := Invite{ID: newID("inv"), From: from, To: t, PartyID: partyID, Sent: time.Now()}
		go func(inv Invite) {
			results <- result{to: inv.To, reply: s.deliver(inv)}
		}(inv)
	}
	out := make(map[string]Reply, len(to))
	for range to {
		select {
		case r := <-results:
			out[r.to] = r.reply
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// takeInvite returns the invite pending for playerID.
func (s *Service) takeInvite(playerID string) (Invite, error) {
	v, ok := s.pending.Load(playerID)
	if !ok {
		return Invite{}, ErrNoPending
	}
	return v.(Invite), nil
}

// clearPending forgets the invite; it fails when a concurrent decline or
// expiry already removed it.
func (s *Service) clearPending(playerID string) error {
	if _, ok := s.pending.LoadAndDelete(playerID); !ok {
		return ErrNoPending
	}
	return nil
}

// Accept joins the party of the pending invite. Losing the pending entry to
// a concurrent decline is meant to fail the accept.
func (s *Service) Accept(playerID string) error {
	inv, err := s.takeInvite(playerID)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := s.clearPending(playerID); cerr != nil && err == nil {
			err = fmt.Errorf("accept %s: %w", inv.ID, cerr)
		}
	}()
	if err = s.join(inv.PartyID, playerID); err != nil {
		return fmt.Errorf("accept %s: %w", inv.ID, err)
	}
	s.notify(inv.From, playerID+" joined your party")
	return nil
}

// Decline drops the pending invite and tells the inviter. The error of
// clearPending reaches the caller through the named result.
func (s *Service) Decline(playerID string) (err error) {
	inv, err := s.takeInvite(playerID)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := s.clearPending(playerID); cerr != nil && err == nil {
			err = cerr
		}
	}()
	s.notify(inv.From, playerID+" declined your invite")
	return nil
}

// Disband tells every member the party is gone and waits for their
// clients' acknowledgements, up to the service timeout.
func (s *Service) Disband(partyID string) ([]string, error) {
	members := s.members(partyID)
	if members == nil {
		return nil, ErrNoParty
	}
	acks := make(chan string, len(members))
	defer close(acks) // HAZ defer-close-chan-with-sender
	for _, m := range members {
		go func(member string) {
			if s.notify(member, "party "+partyID+" disbanded") {
				acks <- member
			}
		}(m)
	}
	var got []string
	deadline := time.After(s.timeout)
	for range members {
		select {
		case m := <-acks:
			got = append(got, m)
		case <-deadline:
			return got, ErrPartialDisband
		}
	}
	for _, m := range members {
		s.Leave(m)
	}
	return got, nil
}

// Broadcast sends msg to every member and returns who received it. The
// channel is closed by the deferred close only after wg.Wait, when no
// sender is left.
func (s *Service) Broadcast(partyID, msg string) []string {
	members := s.members(partyID)
	delivered := make(chan string, len(members))
	defer close(delivered)
	var wg sync.WaitGroup
	for _, m := range members {
		wg.Add(1)
		go func(member string) {
			defer wg.Done()
			if s.notify(member, msg) {
				delivered <- member
			}
		}(m)
	}
	wg.Wait()
	out := make([]string, 0, len(delivered))
	for len(delivered) > 0 {
		out = append(out, <-delivered)
	}
	sort.Strings(out)
	return out
}
