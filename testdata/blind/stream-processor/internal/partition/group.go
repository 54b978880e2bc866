package partition

import (
	"context"
	"errors"
	"log"
	"sort"
	"sync"
	"time"
)

// Member is one process of a consumer group.
type Member struct {
	ID       string
	LastSeen time.Time
	Parts    []int
}

type eventKind int

const (
	evJoin eventKind = iota
	evLeave
	evHeartbeat
)

type event struct {
	kind   eventKind
	member string
}

// Coordinator assigns partitions to group members and rebalances when
// members join, leave or time out.
type Coordinator struct {
	partitions int
	timeout    time.Duration
	events     chan event

	mu         sync.RWMutex
	members    map[string]*Member
	generation int
	onAssign   func(gen int, assignment map[string][]int)
}

// NewCoordinator returns a coordinator for a topic with n partitions.
func NewCoordinator(n int, timeout time.Duration, onAssign func(int, map[string][]int)) *Coordinator {
	return &Coordinator{
		partitions: n,
		timeout:    timeout,
		events:     make(chan event),
		members:    make(map[string]*Member),
		onAssign:   onAssign,
	}
}

// Run applies membership events until ctx is done.
func (g *Coordinator) Run(ctx context.Context) {
	sweep := time.NewTicker(g.timeout / 2)
	defer sweep.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-g.events:
			g.apply(ev)
		case now := <-sweep.C:
			g.expire(now)
		}
	}
}

func (g *Coordinator) apply(ev event) {
	g.mu.Lock()
	changed := false
	switch ev.kind {
	case evJoin:
		if _, ok := g.members[ev.member]; !ok {
			g.members[ev.member] = &Member{ID: ev.member}
			changed = true
		}
		g.members[ev.member].LastSeen = time.Now()
	case evHeartbeat:
		if m, ok := g.members[ev.member]; ok {
			m.LastSeen = time.Now()
		}
	case evLeave:
		if _, ok := g.members[ev.member]; ok {
			delete(g.members, ev.member)
			changed = true
		}
	}
	g.mu.Unlock()
	if changed {
		g.rebalance()
	}
}

func (g *Coordinator) expire(now time.Time) {
	g.mu.Lock()
	changed := false
	for id, m := range g.members {
		if now.Sub(m.LastSeen) > g.timeout {
			delete(g.members, id)
			changed = true
		}
	}
	g.mu.Unlock()
	if changed {
		g.rebalance()
	}
}

// rebalance computes a new assignment and publishes it outside the lock, so
// the callback may query the coordinator.
func (g *Coordinator) rebalance() {
	g.mu.Lock()
	ids := make([]string, 0, len(g.members))
	for id := range g.members {
		ids = append(ids, id)
	}
	assignment := rangeAssign(ids, g.partitions)
	for id, parts := range assignment {
		g.members[id].Parts = parts
	}
	g.generation++
	gen := g.generation
	g.mu.Unlock()
	if g.onAssign != nil {
		g.onAssign(gen, assignment)
	}
}

// rangeAssign gives each member a contiguous range of partitions.
func rangeAssign(ids []string, partitions int) map[string][]int {
	out := make(map[string][]int, len(ids))
	if len(ids) == 0 {
		return out
	}
	sort.Strings(ids)
	per, extra := partitions/len(ids), partitions%len(ids)
	next := 0
	for i, id := range ids {
		n := per
		if i < extra {
			n++
		}
		for range n {
			out[id] = append(out[id], next)
			next++
		}
	}
	return out
}

// Generation returns the current assignment generation.
func (g *Coordinator) Generation() int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.generation
}

// Assignment returns the partitions of member id.
func (g *Coordinator) Assignment(id string) []int {
	g.mu.RLock()
	defer g.mu.RUnlock()
	if m, ok := g.members[id]; ok {
		return append([]int(nil), m.Parts...)
	}
	return nil
}

// send delivers an event unless ctx ends first.
func (g *Coordinator) send(ctx context.Context, ev event) error {
	select {
	case g.events <- ev:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// ServeMember joins the group, heartbeats until ctx is done, and leaves.
func (g *Coordinator) ServeMember(ctx context.Context, id string, every time.Duration) error {
	if err := g.send(ctx, event{kind: evJoin, member: id}); err != nil {
		return err
	}
	defer func() { g.events <- event{kind: evLeave, member: id} }() // HAZ defer-blocking-call
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			if err := g.send(ctx, event{kind: evHeartbeat, member: id}); err != nil {
				return err
			}
		}
	}
}

// ServeMemberGraceful leaves the group with a bounded wait: the coordinator
// may already be gone at shutdown.
func (g *Coordinator) ServeMemberGraceful(ctx context.Context, id string, every time.Duration) error {
	if err := g.send(ctx, event{kind: evJoin, member: id}); err != nil {
		return err
	}
	defer func() {
		select {
		case g.events <- event{kind: evLeave, member: id}:
		case <-time.After(time.Second):
			log.Printf("member %s: coordinator gone, leave not delivered", id)
		}
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			if err := g.send(ctx, event{kind: evHeartbeat, member: id}); err != nil {
				return err
			}
		}
	}
}

// ProbeLag asks lagOf for the lag of every partition concurrently.
func (g *Coordinator) ProbeLag(ctx context.Context, lagOf func(context.Context, int) (int64, error)) ([]int64, error) {
	lags := make([]int64, g.partitions)
	errs := make([]error, g.partitions)
	var wg sync.WaitGroup
	var p int
	for p = 0; p < g.partitions; p++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			lags[p], errs[p] = lagOf(ctx, p)
		}()
	}
	wg.Wait()
	log.Printf("probed lag of %d partitions", p)
	return lags, errors.Join(errs...)
}

// ProbeLagPerIteration is ProbeLag with a loop that declares its variable:
// under Go 1.22+ each iteration has its own p.
func (g *Coordinator) ProbeLagPerIteration(ctx context.Context, lagOf func(context.Context, int) (int64, error)) ([]int64, error) {
	lags := make([]int64, g.partitions)
	errs := make([]error, g.partitions)
	var wg sync.WaitGroup
	for p := 0; p < g.partitions; p++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lags[p], errs[p] = lagOf(ctx, p)
		}()
	}
	wg.Wait()
	return lags, errors.Join(errs...)
}
