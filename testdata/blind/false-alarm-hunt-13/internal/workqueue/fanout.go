package workqueue

import (
	"context"
	"fmt"
	"sync"
)

// Ack is one peer's answer to a broadcast.
type Ack struct {
	Peer string
	Rev  int64
	Err  error
}

// Broadcaster sends the same message to many peers concurrently.
type Broadcaster struct {
	send func(ctx context.Context, peer string) Ack
}

// NewBroadcaster returns a Broadcaster that delivers with send.
func NewBroadcaster(send func(ctx context.Context, peer string) Ack) *Broadcaster {
	return &Broadcaster{send: send}
}

// Notify sends a cache-invalidation to every peer and streams the acks. It
// closes acks when it returns; the caller ranges over acks.
func (b *Broadcaster) Notify(ctx context.Context, peers []string, acks chan<- Ack) error {
	defer close(acks) // HAZ defer-close-chan-with-sender
	var wg sync.WaitGroup
	for _, p := range peers {
		if err := ctx.Err(); err != nil {
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			acks <- b.send(ctx, p)
		}()
	}
	wg.Wait()
	return nil
}

// Publish sends a replication message to every peer and streams the acks.
// It stops starting new sends once ctx is done, waits for the sends already
// started, and closes acks when it returns; the caller ranges over acks.
func (b *Broadcaster) Publish(ctx context.Context, peers []string, acks chan<- Ack) error {
	defer close(acks)
	var wg sync.WaitGroup
	for _, p := range peers {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			acks <- b.send(ctx, p)
		}()
	}
	wg.Wait()
	return ctx.Err()
}

// Gather sends to every peer and returns as soon as quorum peers have
// acknowledged. Senders select on the derived context, which is cancelled
// when Gather returns, so none of them is left blocked.
func (b *Broadcaster) Gather(ctx context.Context, peers []string, quorum int) ([]Ack, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	acks := make(chan Ack)
	for _, p := range peers {
		go func() {
			a := b.send(ctx, p)
			select {
			case acks <- a:
			case <-ctx.Done():
			}
		}()
	}

	var got []Ack
	for range peers {
		select {
		case a := <-acks:
			if a.Err != nil {
				continue
			}
			got = append(got, a)
			if len(got) >= quorum {
				return got, nil
			}
		case <-ctx.Done():
			return got, ctx.Err()
		}
	}
	return got, fmt.Errorf("workqueue: quorum not reached: %d of %d acks, need %d", len(got), len(peers), quorum)
}
