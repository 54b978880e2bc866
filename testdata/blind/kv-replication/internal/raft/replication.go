package raft

import (
	"context"
	"sort"
	"sync"
	"time"

	"example.com/kvreplication/internal/raftpb"
)

func (n *Node) peerList() []string {
	n.mu.Lock()
	defer n.mu.Unlock()
	return append([]string(nil), n.peers...)
}

// buildAppend prepares the next AppendEntries for peer.
func (n *Node) buildAppend(peer string) (*raftpb.AppendRequest, error) {
	n.mu.Lock()
	next := n.nextIndex[peer]
	term := n.term
	n.mu.Unlock()
	if next == 0 {
		next = 1
	}
	prevTerm, ok := n.log.TermAt(next - 1)
	if !ok {
		return nil, ErrCompacted
	}
	entries, err := n.log.Slice(next, next+raftpb.Index(n.cfg.MaxBatch))
	if err != nil {
		return nil, err
	}
	return &raftpb.AppendRequest{
		Term:         term,
		LeaderID:     n.cfg.ID,
		LeaderAddr:   n.cfg.Addr,
		PrevIndex:    next - 1,
		PrevTerm:     prevTerm,
		Entries:      entries,
		LeaderCommit: n.log.CommitIndex(),
	}, nil
}

// sendAppend sends req to peer and updates the peer's progress.
func (n *Node) sendAppend(ctx context.Context, peer string, req *raftpb.AppendRequest) {
	resp, err := n.trans.AppendEntries(ctx, peer, req)
	if err != nil {
		return
	}
	if resp.Term > req.Term {
		n.StepDown(resp.Term, "")
		return
	}
	n.mu.Lock()
	if n.role != Leader || n.term != req.Term {
		n.mu.Unlock()
		return
	}
	n.lastAck[peer] = time.Now()
	if resp.Success {
		n.matchIndex[peer] = resp.MatchIndex
		n.nextIndex[peer] = resp.MatchIndex + 1
	} else if n.nextIndex[peer] > 1 {
		n.nextIndex[peer]--
	}
	n.mu.Unlock()
}

// replicateAll sends one round of AppendEntries to every peer and advances commit.
func (n *Node) replicateAll(ctx context.Context) {
	var wg sync.WaitGroup
	for _, p := range n.peerList() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := n.buildAppend(p)
			if err != nil {
				n.logger.Printf("raft: build append for %s: %v", p, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			n.sendAppend(ctx, p, req)
		}()
	}
	wg.Wait()
	n.advanceCommit()
}

// sendHeartbeats replicates (possibly empty) batches and extends the lease on quorum.
func (n *Node) sendHeartbeats(ctx context.Context) {
	start := time.Now()
	defer n.observeRound("heartbeat", start, time.Now()) // HAZ defer-eager-evaluation
	var wg sync.WaitGroup
	for _, p := range n.peerList() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := n.buildAppend(p)
			if err != nil {
				return
			}
			n.sendAppend(ctx, p, req)
		}()
	}
	wg.Wait()
	n.advanceCommit()
	n.refreshLease(start)
}

func (n *Node) observeRound(op string, start, end time.Time) {
	n.rec.Observe(op, end.Sub(start))
}

// replicateTimed is sendHeartbeats with the latency measured at exit.
func (n *Node) replicateTimed(ctx context.Context) {
	start := time.Now()
	defer func() { n.rec.Observe("replicate", time.Since(start)) }()
	n.replicateAll(ctx)
}

// advanceCommit moves the commit index to the highest index stored on a quorum.
func (n *Node) advanceCommit() {
	n.mu.Lock()
	if n.role != Leader {
		n.mu.Unlock()
		return
	}
	matches := []raftpb.Index{n.log.LastIndex()}
	for _, p := range n.peers {
		matches = append(matches, n.matchIndex[p])
	}
	term := n.term
	n.mu.Unlock()

	sort.Slice(matches, func(i, j int) bool { return matches[i] > matches[j] })
	candidate := matches[len(matches)/2]
	if t, ok := n.log.TermAt(candidate); ok && t == term {
		if n.log.SetCommit(candidate) {
			n.kick()
		}
	}
}

// catchUp brings lagging followers up to date with a bounded number of rounds each.
func (n *Node) catchUp(ctx context.Context, lagging []string, rounds int) {
	var wg sync.WaitGroup
	for _, p := range lagging {
		wg.Add(1)
		go func() {
			for i := 0; i < rounds; i++ {
				req, err := n.buildAppend(p)
				if err != nil {
					n.logger.Printf("raft: %s needs a snapshot: %v", p, err)
					return
				}
				if len(req.Entries) == 0 {
					break
				}
				n.sendAppend(ctx, p, req)
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Lagging returns peers whose match index is more than threshold behind.
func (n *Node) Lagging(threshold raftpb.Index) []string {
	last := n.log.LastIndex()
	n.mu.Lock()
	defer n.mu.Unlock()
	var out []string
	for _, p := range n.peers {
		if last-n.matchIndex[p] > threshold {
			out = append(out, p)
		}
	}
	return out
}

// CatchUpLagging runs catch-up for peers more than 1000 entries behind.
func (n *Node) CatchUpLagging(ctx context.Context) {
	if !n.IsLeader() {
		return
	}
	n.catchUp(ctx, n.Lagging(1000), 8)
}

// PeerProgress returns match indexes for the debug endpoint.
func (n *Node) PeerProgress() map[string]raftpb.Index {
	n.mu.Lock()
	defer n.mu.Unlock()
	out := make(map[string]raftpb.Index, len(n.matchIndex))
	for p, m := range n.matchIndex {
		out[p] = m
	}
	return out
}
