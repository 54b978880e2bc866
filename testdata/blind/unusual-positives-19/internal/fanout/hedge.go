package fanout

import (
	"context"
	"errors"
	"fmt"
)

// Hedged delivers ev to every replica at once and returns the first
// successful ack; the replica answers are read from a channel per replica.
func (b *Broker) Hedged(ctx context.Context, ev Event) (Ack, error) {
	acks := make(map[string]chan Ack, len(b.replicas))
	for _, r := range b.replicas {
		acks[r] = make(chan Ack)
	}
	for replica := range acks {
		go func() {
			acks[replica] <- b.deliver(ctx, replica, ev) // HAZ goroutine-blocked-send
		}()
	}
	var errs []error
	for replica, ch := range acks {
		select {
		case ack := <-ch:
			if ack.OK {
				return ack, nil
			}
			errs = append(errs, fmt.Errorf("%s: %w", replica, ack.Err))
		case <-ctx.Done():
			return Ack{}, ctx.Err()
		}
	}
	return Ack{}, errors.Join(errs...)
}

// QuorumWrite delivers ev to every replica and succeeds once a majority
// acknowledged it. Every replica gets a one-slot answer channel, so a
// replica that answers after the quorum never blocks.
func (b *Broker) QuorumWrite(ctx context.Context, ev Event) error {
	acks := make(map[string]chan Ack, len(b.replicas))
	for _, r := range b.replicas {
		acks[r] = make(chan Ack, 1)
	}
	for replica, ch := range acks {
		go func() { ch <- b.deliver(ctx, replica, ev) }()
	}
	need := len(acks)/2 + 1
	got := 0
	var errs []error
	for replica, ch := range acks {
		select {
		case ack := <-ch:
			if !ack.OK {
				errs = append(errs, fmt.Errorf("%s: %w", replica, ack.Err))
				continue
			}
			if got++; got >= need {
				return nil
			}
		case <-ctx.Done():
			return ctx.Err()
		}
	}
	return fmt.Errorf("fanout: quorum not reached (%d/%d): %w", got, need, errors.Join(errs...))
}

// Lookup asks the primary replica, giving up when ctx ends. The sender
// itself watches ctx, so it never outlives an abandoned lookup.
func (b *Broker) Lookup(ctx context.Context, ev Event) (Ack, error) {
	res := make(chan Ack)
	go func() {
		ack := b.deliver(ctx, b.replicas[0], ev)
		select {
		case res <- ack:
		case <-ctx.Done():
		}
	}()
	select {
	case ack := <-res:
		return ack, nil
	case <-ctx.Done():
		return Ack{}, ctx.Err()
	}
}
