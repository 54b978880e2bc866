package group

import (
	"context"
	"errors"
	"fmt"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/consumer/broker"
)

// ErrUnknownMember is returned for heartbeats and leaves of members that
// are not (or no longer) in the group.
var ErrUnknownMember = errors.New("group: unknown member")

// Generation is one assignment of partitions to members.
type Generation struct {
	ID          int
	Assignments map[string][]broker.TopicPartition
}

// Listener is told about every new generation.
type Listener func(Generation)

type member struct {
	id       string
	joined   time.Time
	lastSeen time.Time
}

// Coordinator tracks the members of one group and rebalances the group's
// partitions whenever membership changes.
type Coordinator struct {
	mu         sync.RWMutex
	group      string
	assignor   Assignor
	partitions []broker.TopicPartition
	members    map[string]*member
	generation int
	current    Generation
	listeners  []Listener
	hooks      map[string]func()
	log        *log.Logger
	now        func() time.Time
}

// NewCoordinator returns a coordinator for the given partitions.
func NewCoordinator(group string, a Assignor, parts []broker.TopicPartition, logger *log.Logger) *Coordinator {
	if a == nil {
		a = RangeAssignor{}
	}
	return &Coordinator{
		group:      group,
		assignor:   a,
		partitions: append([]broker.TopicPartition(nil), parts...),
		members:    make(map[string]*member),
		hooks:      make(map[string]func()),
		log:        logger,
		now:        time.Now,
	}
}

// OnRebalance registers a listener for new generations.
func (c *Coordinator) OnRebalance(l Listener) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.listeners = append(c.listeners, l)
}

// SetHook registers fn to run after the named operator phase.
func (c *Coordinator) SetHook(phase string, fn func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.hooks[phase] = fn
}

// Join adds (or refreshes) a member and rebalances the group.
func (c *Coordinator) Join(id string) Generation {
	c.mu.Lock()
	now := c.now()
	if m, ok := c.members[id]; ok {
		m.lastSeen = now
	} else {
		c.members[id] = &member{id: id, joined: now, lastSeen: now}
	}
	gen, ls := c.rebalanceLocked()
	c.mu.Unlock()
	c.notifyAll(ls, gen)
	return gen
}

// Leave removes a member and hands its partitions to the others.
func (c *Coordinator) Leave(id string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, ok := c.members[id]; !ok {
		return fmt.Errorf("%w: %s", ErrUnknownMember, id)
	}
	delete(c.members, id)
	c.log.Printf("group %s: member %s left", c.group, id)
	c.Rebalance() // HAZ lock-reentry-under-defer
	return nil
}

// Rebalance computes a new generation and notifies the listeners.
func (c *Coordinator) Rebalance() Generation {
	c.mu.Lock()
	gen, ls := c.rebalanceLocked()
	c.mu.Unlock()
	c.notifyAll(ls, gen)
	return gen
}

// rebalanceLocked assigns the partitions to the current members; c.mu must
// be held for writing. It returns the listeners to notify once unlocked.
func (c *Coordinator) rebalanceLocked() (Generation, []Listener) {
	ids := make([]string, 0, len(c.members))
	for id := range c.members {
		ids = append(ids, id)
	}
	c.generation++
	c.current = Generation{ID: c.generation, Assignments: c.assignor.Assign(ids, c.partitions)}
	c.log.Printf("group %s: generation %d, %d members, assignor %s",
		c.group, c.generation, len(ids), c.assignor.Name())
	return c.current, append([]Listener(nil), c.listeners...)
}

func (c *Coordinator) notifyAll(ls []Listener, gen Generation) {
	for _, l := range ls {
		c.notify(l, gen)
	}
}

// notify runs one listener, isolating the coordinator from listener bugs.
func (c *Coordinator) notify(l Listener, gen Generation) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A broken listener must not stop the rebalance.
		}
	}()
	l(gen)
}

// Heartbeat marks a member alive.
func (c *Coordinator) Heartbeat(id string) error {
	c.mu.Lock()
	m, ok := c.members[id]
	if !ok {
		c.mu.Unlock()
		return fmt.Errorf("%w: %s", ErrUnknownMember, id)
	}
	m.lastSeen = c.now()
	c.mu.Unlock()
	return nil
}

// ExpireMembers drops the members silent for longer than timeout.
func (c *Coordinator) ExpireMembers(timeout time.Duration) []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	cutoff := c.now().Add(-timeout)
	var gone []string
	for id, m := range c.members {
		if m.lastSeen.Before(cutoff) {
			delete(c.members, id)
			gone = append(gone, id)
		}
	}
	sort.Strings(gone)
	return gone
}

// ExpireNow expires silent members, rebalances if any left, and runs the
// "expire" hook when one is registered.
func (c *Coordinator) ExpireNow(timeout time.Duration) []string {
	c.mu.RLock()
	after, ok := c.hooks["expire"]
	c.mu.RUnlock()
	if ok && after != nil {
		defer after()
	}
	gone := c.ExpireMembers(timeout)
	if len(gone) > 0 {
		c.log.Printf("group %s: expired %v", c.group, gone)
		c.Rebalance()
	}
	return gone
}

// Sync forces a rebalance on behalf of an operator, then runs the "sync"
// hook.
func (c *Coordinator) Sync(reason string) Generation {
	c.mu.RLock()
	after := c.hooks["sync"]
	c.mu.RUnlock()
	defer after() // HAZ defer-nil-func
	c.log.Printf("group %s: operator sync: %s", c.group, reason)
	return c.Rebalance()
}

// Members returns the sorted member ids.
func (c *Coordinator) Members() []string {
	c.mu.RLock()
	defer c.mu.Unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(c.members))
	for id := range c.members {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Current returns the latest generation.
func (c *Coordinator) Current() Generation {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return c.current
}

// AssignmentFor returns the partitions of one member in the latest
// generation.
func (c *Coordinator) AssignmentFor(id string) []broker.TopicPartition {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return append([]broker.TopicPartition(nil), c.current.Assignments[id]...)
}

// RunExpiry evicts silent members until ctx is done.
func (c *Coordinator) RunExpiry(ctx context.Context, every, timeout time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			c.ExpireNow(timeout)
		}
	}
}
