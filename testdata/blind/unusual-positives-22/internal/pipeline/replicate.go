package pipeline

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sync"
)

// Peer receives replicated segments.
type Peer interface {
	Addr() string
	Send(ctx context.Context, msg []byte) error
}

// Replicator copies sealed segments to its peers.
type Replicator struct {
	peers []Peer
	log   *log.Logger
}

// NewReplicator returns a replicator for peers.
func NewReplicator(peers []Peer, logger *log.Logger) *Replicator {
	return &Replicator{peers: peers, log: logger}
}

// Broadcast sends msg to every peer concurrently.
func (r *Replicator) Broadcast(ctx context.Context, msg []byte) error {
	errs := make([]error, len(r.peers))
	var wg sync.WaitGroup
	var i int
	for i = range len(r.peers) {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = r.peers[i].Send(ctx, msg)
		}()
	}
	wg.Wait()
	r.log.Printf("broadcast %d bytes to %d peers", len(msg), i+1)
	return errors.Join(errs...)
}

// BroadcastEach is Broadcast with a per-iteration index.
func (r *Replicator) BroadcastEach(ctx context.Context, msg []byte) error {
	errs := make([]error, len(r.peers))
	var wg sync.WaitGroup
	for i := range len(r.peers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = r.peers[i].Send(ctx, msg)
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// BroadcastQuorum sends msg to peers in rounds of quorum concurrent sends
// until quorum of them acked, remembering how far it got.
func (r *Replicator) BroadcastQuorum(ctx context.Context, msg []byte, quorum int) (int, error) {
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		acked int
		next  int
	)
	if quorum < 1 {
		quorum = 1
	}
	for next = 0; next < len(r.peers); next++ {
		if next > 0 && next%quorum == 0 {
			wg.Wait()
			mu.Lock()
			enough := acked >= quorum
			mu.Unlock()
			if enough {
				break
			}
		}
		wg.Add(1)
		go func(p Peer) {
			defer wg.Done()
			if err := p.Send(ctx, msg); err != nil {
				r.log.Printf("replicate to %s: %v", p.Addr(), err)
				return
			}
			mu.Lock()
			acked++
			mu.Unlock()
		}(r.peers[next])
	}
	wg.Wait()
	if acked < quorum {
		return acked, fmt.Errorf("pipeline: quorum not reached after %d peers: %d/%d", next, acked, quorum)
	}
	return acked, nil
}
