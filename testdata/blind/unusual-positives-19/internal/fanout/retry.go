package fanout

import (
	"context"
)

// Redeliver retries failed deliveries to the primary replica in rounds until
// none is left, maxRounds is reached or ctx ends. After each round, progress
// is told (asynchronously, so a slow dashboard never holds up a retry) the
// round number and how many events are still pending.
func (b *Broker) Redeliver(ctx context.Context, pending []Event, progress func(round, left int)) []Event {
	var round int
rounds:
	for round = 1; round <= b.maxRounds; round++ {
		var failed []Event
		for _, ev := range pending {
			if ctx.Err() != nil {
				break rounds
			}
			if ack := b.deliver(ctx, b.replicas[0], ev); !ack.OK {
				failed = append(failed, ev)
			}
		}
		pending = failed
		go func() { // HAZ loop-var-capture
			progress(round, len(failed))
		}()
		if len(pending) == 0 {
			break
		}
	}
	b.log.Printf("redeliver: stopped after round %d, %d pending", round, len(pending))
	return pending
}

// RedeliverEach is Redeliver for callers that track every event: done is
// told about each delivered event, asynchronously as well.
func (b *Broker) RedeliverEach(ctx context.Context, pending []Event, done func(round int, ev Event)) []Event {
	for round := 1; round <= b.maxRounds && len(pending) > 0; round++ {
		var failed []Event
		for _, ev := range pending {
			if ack := b.deliver(ctx, b.replicas[0], ev); !ack.OK {
				failed = append(failed, ev)
				continue
			}
			go func() { done(round, ev) }()
		}
		pending = failed
	}
	return pending
}
