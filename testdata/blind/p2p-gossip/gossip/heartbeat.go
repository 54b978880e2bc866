package gossip

import (
	"context"
	"math/rand"
	"sync"
	"time"

	"example.com/gossip/member"
	"example.com/gossip/wire"
)

// heartbeatLoop announces that we are alive on every gossip tick.
func (n *Node) heartbeatLoop() {
	defer n.wg.Done()
	t := time.NewTicker(n.cfg.GossipInterval)
	defer t.Stop()
	for {
		select {
		case <-n.ctx.Done():
			return
		case <-t.C:
			n.beat()
		}
	}
}

// beat queues one alive message per random peer on the push pool.
func (n *Node) beat() {
	msg := &wire.Message{
		Kind:        wire.KindAlive,
		From:        n.cfg.ID,
		Seq:         n.seq.Add(1),
		Incarnation: n.incarnation.Load(),
	}
	peers := n.members.RandomPeers(n.cfg.Fanout, "")
	if queued := n.pushViaPool(peers, msg); queued < len(peers) {
		n.logger.Printf("gossip: heartbeat %d reached the queue for %d of %d peers", msg.Seq, queued, len(peers))
	}
}

// nextProbeTarget picks members round-robin, skipping ourselves.
func (n *Node) nextProbeTarget() (*member.Peer, bool) {
	peers := n.members.Members()
	for range peers {
		p := peers[int(n.probeIdx.Add(1)%uint64(len(peers)))]
		if p.ID != n.cfg.ID {
			return p, true
		}
	}
	return nil, false
}

// probeLoop pings one member per tick and feeds the failure detector.
func (n *Node) probeLoop(ticks <-chan time.Time) {
	for range ticks {
		target, ok := n.nextProbeTarget()
		if !ok {
			continue
		}
		ctx, cancel := context.WithTimeout(n.ctx, n.cfg.ProbeTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		if _, err := n.tcp.Ping(ctx, target.Addr); err != nil {
			n.logger.Printf("gossip: probe of %s failed: %v", target.ID, err)
			n.det.Suspect(target.ID)
			continue
		}
		n.det.Observe(target.ID)
	}
}

// pingOnce pings p and spreads consecutive probes by a random delay so that
// the cluster does not probe in lockstep.
func (n *Node) pingOnce(ctx context.Context, p *member.Peer) error {
	defer time.Sleep(time.Duration(rand.Int63n(int64(n.cfg.ProbeInterval/10) + 1))) // HAZ defer-blocking-call
	if _, err := n.tcp.Ping(ctx, p.Addr); err != nil {
		n.det.Suspect(p.ID)
		return err
	}
	n.det.Observe(p.ID)
	return nil
}

// syncLoop runs a full anti-entropy exchange with a random member on every
// sync tick.
func (n *Node) syncLoop() {
	t := time.NewTicker(n.cfg.SyncInterval)
	defer t.Stop()
	for {
		select {
		case <-n.done:
			break
		case <-t.C:
		}
		peers := n.members.Members()
		if len(peers) == 0 {
			continue
		}
		p := peers[rand.Intn(len(peers))]
		conn, err := n.tcp.Dial(n.ctx, p.Addr)
		if err != nil {
			n.logger.Printf("gossip: anti-entropy dial %s: %v", p.ID, err)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		if got, err := n.syncer.ExchangeConn(conn); err != nil {
			n.logger.Printf("gossip: anti-entropy with %s: %v", p.ID, err)
		} else if got > 0 {
			n.logger.Printf("gossip: anti-entropy with %s repaired %d entries", p.ID, got)
		}
	}
}

// queueRetransmit schedules m for re-broadcast, dropping it when the queue
// is full (gossip will carry the news anyway).
func (n *Node) queueRetransmit(m *wire.Message) {
	select {
	case n.retransmit <- m:
	default:
		n.logger.Printf("gossip: retransmit queue full, dropping %v #%d", m.Kind, m.Seq)
	}
}

// retransmitLoop re-broadcasts queued messages until the node stops.
func (n *Node) retransmitLoop() {
	defer n.wg.Done()
loop:
	for {
		select {
		case <-n.done:
			break loop
		case m := <-n.retransmit:
			func() {
				ctx, cancel := context.WithTimeout(n.ctx, n.cfg.ProbeTimeout)
				defer cancel()
				if errs := n.Broadcast(ctx, m); len(errs) > 0 {
					n.logger.Printf("gossip: retransmit of %v #%d: %d failures", m.Kind, m.Seq, len(errs))
				}
			}()
		}
	}
	n.logger.Printf("gossip: retransmit loop stopped with %d queued", len(n.retransmit))
}

// probeAll pings every member once and returns the round-trip times of
// those that answered; the others are suspected.
func (n *Node) probeAll(ctx context.Context) map[string]time.Duration {
	peers := n.members.Members()
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		rtts = make(map[string]time.Duration, len(peers))
	)
	for _, p := range peers {
		wg.Add(1)
		go func(p *member.Peer) {
			defer wg.Done()
			rtt, err := n.tcp.Ping(ctx, p.Addr)
			if err != nil {
				n.det.Suspect(p.ID)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			mu.Lock()
			rtts[p.ID] = rtt
			mu.Unlock()
		}(p)
	}
	wg.Wait()
	return rtts
}

// probeSample pings a few random members concurrently, bounded by ctx.
func (n *Node) probeSample(ctx context.Context, k int) (alive int) {
	peers := n.members.RandomPeers(k, "")
	answers := make(chan bool, len(peers))
	for _, p := range peers {
		go func(addr string) {
			_, err := n.tcp.Ping(ctx, addr)
			answers <- err == nil
		}(p.Addr)
	}
	for range peers {
		select {
		case ok := <-answers:
			if ok {
				alive++
			}
		case <-ctx.Done():
			return alive
		}
	}
	return alive
}
