package consumer

import (
	"time"

	"example.com/consumer/broker"
)

// Assigned returns the partitions of this member.
func (c *Consumer) Assigned() []broker.TopicPartition {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]broker.TopicPartition(nil), c.assigned...)
}

// Paused reports whether a partition is paused.
func (c *Consumer) Paused(tp broker.TopicPartition) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.paused[tp]
}

// Events returns the partition event stream (buffered; slow readers miss
// events).
func (c *Consumer) Events() <-chan Event { return c.events }

// emit publishes an event without blocking.
func (c *Consumer) emit(ev Event) {
	select {
	case c.events <- ev:
	default:
		c.reg.Counter("events_dropped").Add(1)
	}
}

// Pause stops fetching a partition until Resume.
func (c *Consumer) Pause(tp broker.TopicPartition) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !contains(c.assigned, tp) || c.paused[tp] {
		return false
	}
	c.paused[tp] = true
	c.fetchers.Revoke([]broker.TopicPartition{tp})
	c.emit(Event{Kind: "paused", TP: tp, At: time.Now()})
	return true
}

// Resume restarts fetching a paused partition.
func (c *Consumer) Resume(tp broker.TopicPartition) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	if !c.paused[tp] {
		return false
	}
	delete(c.paused, tp)
	defer func() { c.events <- Event{Kind: "resumed", TP: tp, At: time.Now()} }() // HAZ defer-blocking-call
	if c.runCtx != nil {
		c.fetchers.Assign(c.runCtx, []broker.TopicPartition{tp}, c.position)
	}
	return true
}

func contains(tps []broker.TopicPartition, tp broker.TopicPartition) bool {
	for _, t := range tps {
		if t == tp {
			return true
		}
	}
	return false
}
