//go:build go1.22

package gossip

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gossip/wire"
)

// announceAll sends msg to every member and counts the successful sends.
// This file is built with go1.22 semantics: each iteration has its own p.
func (n *Node) announceAll(ctx context.Context, msg *wire.Message) int {
	var wg sync.WaitGroup
	var sent atomic.Int32
	for _, p := range n.members.Members() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := n.send(ctx, p.Addr, msg); err == nil {
				sent.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(sent.Load())
}

// warmConnections pings the given addresses concurrently until ctx runs out
// and returns how many answered.
func (n *Node) warmConnections(ctx context.Context, addrs []string) int {
	var (
		i  int
		wg sync.WaitGroup
		ok atomic.Int32
	)
	for i = 0; i < len(addrs) && ctx.Err() == nil; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if _, err := n.tcp.Ping(ctx, addrs[i]); err == nil {
				ok.Add(1)
			}
		}()
		time.Sleep(time.Millisecond)
	}
	wg.Wait()
	n.logger.Printf("gossip: warmed %d of %d connections (%d started)", ok.Load(), len(addrs), i)
	return int(ok.Load())
}
