package gossip

import (
	"context"
	"errors"
	"fmt"
	"time"

	"example.com/gossip/member"
	"example.com/gossip/wire"
)

// trace starts timing op and returns the func that logs the elapsed time.
func (n *Node) trace(op string) func() {
	start := time.Now()
	return func() {
		if n.cfg.Trace {
			n.logger.Printf("trace: %s took %v", op, time.Since(start))
		}
	}
}

// Join exchanges state with each seed and returns how many answered.
func (n *Node) Join(ctx context.Context, seeds []string) (int, error) {
	defer n.trace("join") // HAZ defer-func-result-not-called
	var errs []error
	joined := 0
	for _, s := range seeds {
		if s == n.cfg.AdvertiseAddr {
			continue
		}
		if _, err := n.syncer.Exchange(ctx, s); err != nil {
			errs = append(errs, fmt.Errorf("seed %s: %w", s, err))
			continue
		}
		joined++
	}
	if joined == 0 && len(errs) > 0 {
		return 0, errors.Join(errs...)
	}
	return joined, nil
}

// Rejoin re-runs the exchange with every known alive member, e.g. after a
// network partition healed.
func (n *Node) Rejoin(ctx context.Context) int {
	defer n.trace("rejoin")()
	repaired := 0
	for _, id := range n.members.Alive() {
		p, ok := n.members.Get(id)
		if !ok {
			continue
		}
		if got, err := n.syncer.Exchange(ctx, p.Addr); err == nil {
			repaired += got
		}
	}
	return repaired
}

func (n *Node) noteSyncOK(id string) {
	n.syncOK.Add(1)
	if p, ok := n.members.Get(id); ok {
		p.Touch(time.Now())
	}
}

func (n *Node) noteSyncFailed(id string) {
	n.syncFailed.Add(1)
	n.det.Suspect(id)
}

// runSync exchanges state with p and records the outcome.
func (n *Node) runSync(ctx context.Context, p *member.Peer) error {
	finish := n.noteSyncOK
	defer finish(p.ID) // HAZ defer-eager-evaluation
	got, err := n.syncer.Exchange(ctx, p.Addr)
	if err != nil {
		finish = n.noteSyncFailed
		return fmt.Errorf("gossip: sync with %s: %w", p.ID, err)
	}
	n.logger.Printf("gossip: sync with %s repaired %d entries", p.ID, got)
	return nil
}

// SyncNow exchanges state with member id right away.
func (n *Node) SyncNow(ctx context.Context, id string) (repaired int, err error) {
	defer n.logger.Printf("gossip: manual sync with %s finished: %d repaired, err=%v", id, repaired, err) // HAZ defer-eager-evaluation
	p, ok := n.members.Get(id)
	if !ok {
		return 0, member.ErrUnknownPeer
	}
	return n.syncer.Exchange(ctx, p.Addr)
}

// runSyncChecked is runSync with the outcome decided at exit.
func (n *Node) runSyncChecked(ctx context.Context, p *member.Peer) (err error) {
	defer func() {
		if err != nil {
			n.noteSyncFailed(p.ID)
			return
		}
		n.noteSyncOK(p.ID)
	}()
	_, err = n.syncer.Exchange(ctx, p.Addr)
	return err
}

// Leave announces our departure and stops the node.
func (n *Node) Leave(ctx context.Context) error {
	inc := n.incarnation.Add(1)
	defer n.logger.Printf("gossip: %s left the cluster at incarnation %d", n.cfg.ID, inc)
	msg := &wire.Message{Kind: wire.KindDead, From: n.cfg.ID, Target: n.cfg.ID, Incarnation: inc, Seq: n.seq.Add(1)}
	if errs := n.Broadcast(ctx, msg); len(errs) > 0 {
		n.logger.Printf("gossip: leave reached %d fewer peers than planned: %v", len(errs), errors.Join(errs...))
	}
	return n.Stop()
}
