//go:build go1.21

package fanout

// This file keeps the replay path as it was written before the move to
// per-iteration loop variables; its build line pins it to go1.21 semantics.

import (
	"sync"
	"sync/atomic"
)

// Subscriber receives broadcast events.
type Subscriber interface {
	Deliver(ev Event) bool
}

// ReplayShards re-publishes the events of every shard past its checkpoint.
// A shard whose topic stream is full is abandoned for this round; every
// acquired shard is released when the replay returns.
func (b *Broker) ReplayShards(shards []*Shard) int {
	total := 0
shardLoop:
	for _, sh := range shards {
		if !sh.acquire() {
			continue
		}
		defer func() { sh.release() }() // HAZ defer-in-loop loop-var-capture
		for _, ev := range sh.events {
			if ev.Seq <= sh.checkpoint {
				continue
			}
			if !b.Publish(ev) {
				continue shardLoop
			}
			total++
		}
	}
	return total
}

// broadcastLegacy hands ev to every subscriber concurrently and waits for
// all of them; it returns how many accepted it.
func broadcastLegacy(subs []Subscriber, ev Event) int {
	var wg sync.WaitGroup
	var accepted atomic.Int32
	started := 0
	for _, sub := range subs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if sub.Deliver(ev) {
				accepted.Add(1)
			}
		}()
		started++
	}
	wg.Wait()
	if started != len(subs) {
		panic("fanout: broadcast lost a subscriber")
	}
	return int(accepted.Load())
}

// CheckpointShards moves every shard's checkpoint to its newest event, one
// goroutine per shard.
func CheckpointShards(shards []*Shard) {
	var wg sync.WaitGroup
	for _, sh := range shards {
		sh := sh
		wg.Add(1)
		go func() {
			defer wg.Done()
			sh.checkpointNow()
		}()
	}
	wg.Wait()
}

// Broadcast is the exported entry point of broadcastLegacy.
func (b *Broker) Broadcast(subs []Subscriber, ev Event) int {
	n := broadcastLegacy(subs, ev)
	if n < len(subs) {
		b.log.Printf("broadcast %s/%d: %d of %d subscribers accepted", ev.Topic, ev.Seq, n, len(subs))
	}
	return n
}

// DrainShards empties every shard and reports per shard how many events it
// gave. Each shard is drained inside its own function, so the report runs
// before the loop moves on.
func (b *Broker) DrainShards(shards []*Shard, report func(name string, n int)) int {
	total := 0
	for _, sh := range shards {
		n := 0
		func() {
			defer func() { report(sh.Name, n) }()
			for _, ev := range sh.Events() {
				if !b.Publish(ev) {
					return
				}
				n++
			}
		}()
		total += n
	}
	return total
}
