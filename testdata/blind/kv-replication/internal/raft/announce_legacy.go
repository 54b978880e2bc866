//go:build go1.21

package raft

import (
	"context"
	"sync"

	"example.com/kvreplication/internal/raftpb"
)

// This file is built with go1.21 semantics: loop variables are shared across
// iterations here.

// announceConfig sends an empty AppendEntries carrying the new leader commit to each
// member so that they learn the configuration quickly.
func (n *Node) announceConfig(ctx context.Context, members []string) int {
	var wg sync.WaitGroup
	sent := 0
	for _, m := range members {
		if m == n.cfg.ID {
			continue
		}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			req, err := n.buildAppend(m)
			if err != nil {
				return
			}
			n.sendAppend(ctx, m, req)
		}()
		sent++
	}
	wg.Wait()
	return sent
}

// announceConfigCopy shadows the loop variable before the goroutine captures it.
func (n *Node) announceConfigCopy(ctx context.Context, members []string) int {
	var wg sync.WaitGroup
	sent := 0
	for _, m := range members {
		m := m
		if m == n.cfg.ID {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if req, err := n.buildAppend(m); err == nil {
				n.sendAppend(ctx, m, req)
			}
		}()
		sent++
	}
	wg.Wait()
	return sent
}

// heartbeatEach passes the loop variable as an argument.
func (n *Node) heartbeatEach(ctx context.Context, peers []string, term raftpb.Term) {
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func(peer string) {
			defer wg.Done()
			req := &raftpb.AppendRequest{Term: term, LeaderID: n.cfg.ID, LeaderAddr: n.cfg.Addr}
			n.sendAppend(ctx, peer, req)
		}(p)
	}
	wg.Wait()
}
