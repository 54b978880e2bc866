package blockedsend

import (
	"context"
	"errors"
)

type ack struct {
	ok  bool
	err error
}

func deliverTo(ctx context.Context, replica string) ack { return ack{ok: replica != ""} }

// The first success returns: the replicas not yet received from block forever on their sends.
func hedgedDeliver(ctx context.Context, replicas []string) (ack, error) {
	acks := make(map[string]chan ack, len(replicas))
	for _, r := range replicas {
		acks[r] = make(chan ack)
	}
	for r := range acks {
		go func() { // want `hedgedDeliver gives each key of acks its own unbuffered channel, and the goroutine started on line \d+ sends once on its key's channel`
			acks[r] <- deliverTo(ctx, r)
		}()
	}
	for _, ch := range acks {
		select {
		case a := <-ch:
			if a.ok {
				return a, nil
			}
		case <-ctx.Done():
			return ack{}, ctx.Err()
		}
	}
	return ack{}, errors.New("no replica acknowledged")
}

// One slot per channel: a sender whose answer comes after the return still completes its send.
func quorumDeliver(ctx context.Context, replicas []string) error {
	acks := make(map[string]chan ack, len(replicas))
	for _, r := range replicas {
		acks[r] = make(chan ack, 1)
	}
	for r, ch := range acks {
		go func() { ch <- deliverTo(ctx, r) }()
	}
	n := 0
	for _, ch := range acks {
		if a := <-ch; a.ok {
			n++
			if n > len(replicas)/2 {
				return nil
			}
		}
	}
	return errors.New("no quorum")
}

// Every channel is received from before the function can return.
func allDeliver(ctx context.Context, replicas []string) []ack {
	acks := make(map[string]chan ack, len(replicas))
	for _, r := range replicas {
		acks[r] = make(chan ack)
	}
	for r, ch := range acks {
		go func() { ch <- deliverTo(ctx, r) }()
	}
	var out []ack
	for _, ch := range acks {
		out = append(out, <-ch)
	}
	return out
}
