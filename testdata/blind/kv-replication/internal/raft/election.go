package raft

import (
	"context"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

// campaign starts an election for the next term and reports whether it won.
func (n *Node) campaign(ctx context.Context) bool {
	n.mu.Lock()
	n.term++
	n.role = Candidate
	n.votedFor = n.cfg.ID
	n.leaderID = ""
	term := n.term
	peers := append([]string(nil), n.peers...)
	if err := n.persistLocked(); err != nil {
		n.mu.Unlock()
		n.logger.Printf("raft: persist candidacy: %v", err)
		return false
	}
	n.mu.Unlock()

	lastIdx, lastTerm := n.log.LastTerm()
	req := &raftpb.VoteRequest{Term: term, CandidateID: n.cfg.ID, LastLogIndex: lastIdx, LastLogTerm: lastTerm}
	votes := make(chan bool, len(peers))
	defer close(votes) // HAZ defer-close-chan-with-sender
	for _, p := range peers {
		go func() {
			resp, err := n.trans.RequestVote(ctx, p, req)
			if err == nil && resp.Term > term {
				n.StepDown(resp.Term, "")
			}
			votes <- err == nil && resp.Granted
		}()
	}
	granted := 1
	if granted > (len(peers)+1)/2 {
		return true
	}
	for range peers {
		if <-votes {
			granted++
		}
		if granted > (len(peers)+1)/2 {
			return n.stillCandidate(term)
		}
	}
	return false
}

func (n *Node) stillCandidate(term raftpb.Term) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	return n.role == Candidate && n.term == term
}

// preVote asks peers whether they would vote for us without bumping the term. It
// waits for every answer, so closing the channel afterwards is safe.
func (n *Node) preVote(ctx context.Context) int {
	n.mu.Lock()
	peers := append([]string(nil), n.peers...)
	term := n.term + 1
	n.mu.Unlock()
	lastIdx, lastTerm := n.log.LastTerm()
	req := &raftpb.VoteRequest{Term: term, CandidateID: n.cfg.ID, LastLogIndex: lastIdx, LastLogTerm: lastTerm}

	results := make(chan bool, len(peers))
	defer close(results)
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := n.trans.RequestVote(ctx, p, req)
			results <- err == nil && resp.Granted
		}()
	}
	wg.Wait()
	count := 1
	for range peers {
		if <-results {
			count++
		}
	}
	return count
}

// collectVotes fans out vote requests; the sending goroutine owns and closes the channel.
func (n *Node) collectVotes(ctx context.Context, peers []string, req *raftpb.VoteRequest) <-chan bool {
	out := make(chan bool)
	go func() {
		defer close(out)
		for _, p := range peers {
			resp, err := n.trans.RequestVote(ctx, p, req)
			select {
			case out <- err == nil && resp.Granted:
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

// CampaignSequential is used in tests and single-peer clusters: votes are requested
// one at a time, so no goroutine outlives the call.
func (n *Node) CampaignSequential(ctx context.Context) bool {
	if n.preVote(ctx) <= len(n.peers)/2 {
		return false
	}
	n.mu.Lock()
	n.term++
	n.votedFor = n.cfg.ID
	n.role = Candidate
	term := n.term
	peers := append([]string(nil), n.peers...)
	n.mu.Unlock()
	lastIdx, lastTerm := n.log.LastTerm()
	req := &raftpb.VoteRequest{Term: term, CandidateID: n.cfg.ID, LastLogIndex: lastIdx, LastLogTerm: lastTerm}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	granted := 1
	for ok := range n.collectVotes(ctx, peers, req) {
		if ok {
			granted++
		}
	}
	if granted <= (len(peers)+1)/2 || !n.stillCandidate(term) {
		return false
	}
	n.mu.Lock()
	n.becomeLeaderLocked()
	n.mu.Unlock()
	return true
}
