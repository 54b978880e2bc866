package gossip

import (
	"context"
	"errors"

	"example.com/gossip/member"
)

var errLeaseHeld = errors.New("gossip: an exchange with this peer is already running")

// openLease marks that an exchange with id is in flight and returns the func
// that ends it.
func (n *Node) openLease(id string) (func(), error) {
	n.leaseMu.Lock()
	defer n.leaseMu.Unlock()
	if _, held := n.leases[id]; held {
		return nil, errLeaseHeld
	}
	release := func() {
		n.leaseMu.Lock()
		delete(n.leases, id)
		n.leaseMu.Unlock()
	}
	n.leases[id] = release
	return release, nil
}

// takeLease removes and returns the lease for id, or nil if none is held.
func (n *Node) takeLease(id string) func() {
	n.leaseMu.Lock()
	defer n.leaseMu.Unlock()
	release := n.leases[id]
	delete(n.leases, id)
	return release
}

// withLease runs fn and then ends the exchange lease of id.
func (n *Node) withLease(id string, fn func() error) error {
	n.leaseMu.Lock()
	release := n.leases[id]
	n.leaseMu.Unlock()
	defer release() // HAZ defer-nil-func
	return fn()
}

// syncPeer exchanges with the member id, ending its lease if one is held.
func (n *Node) syncPeer(ctx context.Context, id string) (int, error) {
	p, ok := n.members.Get(id)
	if !ok {
		return 0, member.ErrUnknownPeer
	}
	if release := n.takeLease(id); release != nil {
		defer release()
	}
	return n.syncer.Exchange(ctx, p.Addr)
}

// exclusiveSync runs at most one exchange per peer at a time.
func (n *Node) exclusiveSync(ctx context.Context, p *member.Peer) error {
	release, err := n.openLease(p.ID)
	if err != nil {
		return err
	}
	defer release()
	return n.runSyncChecked(ctx, p)
}
