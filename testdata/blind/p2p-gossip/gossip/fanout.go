package gossip

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gossip/member"
	"example.com/gossip/wire"
)

// maxDatagram mirrors the transport's datagram limit.
const maxDatagram = 1400

var errQuorum = errors.New("gossip: quorum not reached")

type pushResult struct {
	peer string
	err  error
}

// send delivers msg to addr as a datagram when it fits, else over a stream.
func (n *Node) send(ctx context.Context, addr string, msg *wire.Message) error {
	b, err := msg.MarshalBinary()
	if err != nil {
		return err
	}
	if len(b) <= maxDatagram {
		return n.udp.SendTo(addr, b)
	}
	return n.tcp.Send(ctx, addr, msg)
}

// Broadcast sends msg to Fanout random peers and returns the failures.
func (n *Node) Broadcast(ctx context.Context, msg *wire.Message) []error {
	peers := n.members.RandomPeers(n.cfg.Fanout, msg.From)
	results := make(chan pushResult, len(peers))
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			results <- pushResult{peer: p.ID, err: n.send(ctx, p.Addr, msg)}
		}()
		n.fanoutSent.Add(1)
	}
	wg.Wait()
	close(results)
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, fmt.Errorf("push to %s: %w", r.peer, r.err))
		}
	}
	return errs
}

// Multicast sends msg to the given peers and returns how many sends
// succeeded.
func (n *Node) Multicast(ctx context.Context, ids []string, msg *wire.Message) int {
	var wg sync.WaitGroup
	var ok atomic.Int32
	for _, id := range ids {
		id := id
		p, found := n.members.Get(id)
		if !found {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := n.send(ctx, p.Addr, msg); err != nil {
				n.logger.Printf("gossip: multicast to %s: %v", id, err)
				return
			}
			ok.Add(1)
		}()
	}
	wg.Wait()
	return int(ok.Load())
}

// PushQuorum sends msg to every member and returns as soon as quorum of
// them accepted it.
func (n *Node) PushQuorum(ctx context.Context, msg *wire.Message, quorum int) (int, error) {
	peers := n.members.Members()
	acks := make(chan error, len(peers))
	defer close(acks) // HAZ defer-close-chan-with-sender
	for _, p := range peers {
		go func(addr string) {
			acks <- n.send(ctx, addr, msg)
		}(p.Addr)
	}
	got := 0
	for range peers {
		select {
		case err := <-acks:
			if err == nil {
				got++
				if got >= quorum {
					return got, nil
				}
			}
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
	return got, errQuorum
}

// PushAll sends msg to every member and reports each outcome.
func (n *Node) PushAll(ctx context.Context, msg *wire.Message) map[string]error {
	peers := n.members.Members()
	ch := make(chan pushResult)
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func(p *member.Peer) {
			defer wg.Done()
			ch <- pushResult{peer: p.ID, err: n.send(ctx, p.Addr, msg)}
		}(p)
	}
	go func() {
		wg.Wait()
		close(ch)
	}()
	out := make(map[string]error, len(peers))
	for r := range ch {
		out[r.peer] = r.err
	}
	return out
}

// collectAcks sends msg to the given peers and joins every error.
func (n *Node) collectAcks(ctx context.Context, peers []*member.Peer, msg *wire.Message) error {
	ch := make(chan error)
	defer close(ch)
	for _, p := range peers {
		go func(addr string) {
			ch <- n.send(ctx, addr, msg)
		}(p.Addr)
	}
	var errs []error
	for range peers {
		if err := <-ch; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// verifyPeer checks that addr belongs to a member we consider alive.
func (n *Node) verifyPeer(addr string) error {
	for _, p := range n.members.Members() {
		if p.Addr != addr {
			continue
		}
		if st, _ := p.Snapshot(); st != member.StateAlive {
			return fmt.Errorf("peer %s is %v", p.ID, st)
		}
		return nil
	}
	return member.ErrUnknownPeer
}

// pushAndVerify sends msg to addr while checking, in parallel, that addr is
// still a live member.
func (n *Node) pushAndVerify(ctx context.Context, addr string, msg *wire.Message) error {
	errc := make(chan error)
	go func() {
		errc <- n.send(ctx, addr, msg) // HAZ goroutine-blocked-send
	}()
	if err := n.verifyPeer(addr); err != nil {
		return fmt.Errorf("gossip: refusing %s: %w", addr, err)
	}
	return <-errc
}

// pushViaPool queues one push per peer on the bounded worker pool.
func (n *Node) pushViaPool(peers []*member.Peer, msg *wire.Message) int {
	queued := 0
	for _, p := range peers {
		p := p
		task := func(ctx context.Context) error {
			return n.send(ctx, p.Addr, msg)
		}
		if !n.pool.TrySubmit(task) {
			n.logger.Printf("gossip: push queue full, dropping push to %s", p.ID)
			continue
		}
		queued++
	}
	return queued
}

type pingResult struct {
	id  string
	rtt time.Duration
	err error
}

// pingStream pings every peer and streams the results as they arrive.
func (n *Node) pingStream(ctx context.Context, peers []*member.Peer) <-chan pingResult {
	ch := make(chan pingResult, len(peers))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, p := range peers {
		go func(p *member.Peer) {
			rtt, err := n.tcp.Ping(ctx, p.Addr)
			ch <- pingResult{id: p.ID, rtt: rtt, err: err}
		}(p)
	}
	return ch
}

// pingResults pings every peer and streams the results as they arrive; the
// channel is closed once every ping finished.
func (n *Node) pingResults(ctx context.Context, peers []*member.Peer) <-chan pingResult {
	ch := make(chan pingResult, len(peers))
	var wg sync.WaitGroup
	for _, p := range peers {
		wg.Add(1)
		go func(p *member.Peer) {
			defer wg.Done()
			rtt, err := n.tcp.Ping(ctx, p.Addr)
			ch <- pingResult{id: p.ID, rtt: rtt, err: err}
		}(p)
	}
	go func() {
		defer close(ch)
		wg.Wait()
	}()
	return ch
}

// slowestPeer returns the member with the longest ping round trip.
func (n *Node) slowestPeer(ctx context.Context) (string, time.Duration) {
	var id string
	var worst time.Duration
	for r := range n.pingResults(ctx, n.members.Members()) {
		if r.err == nil && r.rtt > worst {
			id, worst = r.id, r.rtt
		}
	}
	return id, worst
}

// fastestSeed returns the first seed that answers a ping.
func (n *Node) fastestSeed(ctx context.Context, seeds []string) (string, error) {
	ch := make(chan string)
	for _, s := range seeds {
		go func(addr string) {
			if _, err := n.tcp.Ping(ctx, addr); err == nil {
				ch <- addr // HAZ goroutine-blocked-send
			}
		}(s)
	}
	select {
	case addr := <-ch:
		return addr, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// applyBatches applies gossiped update batches concurrently; a batch whose
// application panics is logged and skipped.
func (n *Node) applyBatches(batches [][]member.Update) int {
	var wg sync.WaitGroup
	var changed atomic.Int64
	for _, b := range batches {
		wg.Add(1)
		go func(ups []member.Update) {
			defer func() {
				if r := recover(); r != nil {
					n.logger.Printf("gossip: dropping a batch of %d updates: %v", len(ups), r)
				}
			}()
			changed.Add(int64(n.members.ApplyUpdates(ups)))
			wg.Done() // HAZ waitgroup-done-path
		}(b)
	}
	wg.Wait()
	return int(changed.Load())
}
