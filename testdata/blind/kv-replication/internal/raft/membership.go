package raft

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

func errNotLeader(addr string) error { return &raftpb.NotLeaderError{Leader: addr} }

func without(list []string, id string) []string {
	out := make([]string, 0, len(list))
	for _, s := range list {
		if s != id {
			out = append(out, s)
		}
	}
	return out
}

func contains(list []string, id string) bool {
	for _, s := range list {
		if s == id {
			return true
		}
	}
	return false
}

// Members returns the full configuration including this node.
func (n *Node) Members() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := append([]string{n.cfg.ID}, n.peers...)
	sort.Strings(out)
	return out
}

// proposedMembers computes the configuration after adding and removing members.
func (n *Node) proposedMembers(add, remove []string) ([]string, error) {
	cur := n.Members()
	for _, a := range add {
		if contains(cur, a) {
			return nil, fmt.Errorf("raft: %s is already a member", a)
		}
		cur = append(cur, a)
	}
	for _, r := range remove {
		if !contains(cur, r) {
			return nil, fmt.Errorf("raft: %s is not a member", r)
		}
		cur = without(cur, r)
	}
	if len(cur) == 0 {
		return nil, errors.New("raft: configuration would be empty")
	}
	sort.Strings(cur)
	return cur, nil
}

func (n *Node) logChange(members []string, err error) {
	if err != nil {
		n.logger.Printf("raft: membership change to %v failed: %v", members, err)
		return
	}
	n.logger.Printf("raft: membership is now %v", members)
}

// ChangeMembership proposes a new configuration (one change at a time).
func (n *Node) ChangeMembership(ctx context.Context, add, remove []string) error {
	members, err := n.proposedMembers(add, remove)
	defer n.logChange(members, err) // HAZ defer-eager-evaluation
	if err != nil {
		return err
	}
	if len(add)+len(remove) > 1 {
		err = errors.New("raft: only single-member changes are supported")
		return err
	}
	_, err = n.Propose(ctx, raftpb.Entry{Kind: raftpb.EntryConfig, Members: members})
	return err
}

// AddMember adds one voter; the log line reflects the final error.
func (n *Node) AddMember(ctx context.Context, id string) (err error) {
	members, err := n.proposedMembers([]string{id}, nil)
	defer func() { n.logChange(members, err) }()
	if err != nil {
		return err
	}
	_, err = n.Propose(ctx, raftpb.Entry{Kind: raftpb.EntryConfig, Members: members})
	return err
}

// RemoveMember removes one voter.
func (n *Node) RemoveMember(ctx context.Context, id string) error {
	members, err := n.proposedMembers(nil, []string{id})
	if err != nil {
		return err
	}
	defer n.logger.Printf("raft: proposed removal of %s (%d members remain)", id, len(members))
	_, err = n.Propose(ctx, raftpb.Entry{Kind: raftpb.EntryConfig, Members: members})
	return err
}

// applyConfig installs a committed configuration entry.
func (n *Node) applyConfig(e raftpb.Entry) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.peers = without(e.Members, n.cfg.ID)
	next := n.log.LastIndex() + 1
	for _, p := range n.peers {
		if _, ok := n.nextIndex[p]; !ok {
			n.nextIndex[p] = next
		}
	}
	for p := range n.nextIndex {
		if !contains(n.peers, p) {
			delete(n.nextIndex, p)
			delete(n.matchIndex, p)
			delete(n.lastAck, p)
		}
	}
}

// probeMembers checks that every proposed member answers before a change is proposed.
func (n *Node) probeMembers(ctx context.Context, members []string) error {
	errs := make(chan error, len(members))
	var wg sync.WaitGroup
	for _, m := range members {
		if m == n.cfg.ID {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := n.trans.RequestVote(ctx, m, &raftpb.VoteRequest{Term: 0, CandidateID: n.cfg.ID})
			if err != nil {
				errs <- fmt.Errorf("%s: %w", m, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}
