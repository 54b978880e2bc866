package group

import (
	"errors"
	"log"
	"sort"
	"sync"
	"time"

	"example.com/messagebroker/internal/metrics"
)

// Errors returned by groups.
var (
	ErrUnknownMember = errors.New("group: unknown member")
	ErrStaleGen      = errors.New("group: stale generation")
)

// Assignment is what one member consumes in one generation.
type Assignment struct {
	Generation int              `json:"generation"`
	Partitions map[string][]int `json:"partitions"`
}

// Member is one consumer in a group.
type Member struct {
	ID       string
	Topics   []string
	LastSeen time.Time
	Notify   chan Assignment
}

// EventKind classifies group events.
type EventKind int

// Event kinds.
const (
	EventJoined EventKind = iota
	EventLeft
	EventRebalanced
	EventSynced
)

// Event is published on the group's event channel.
type Event struct {
	Kind       EventKind
	Group      string
	Member     string
	Generation int
}

// Group is a consumer group.
type Group struct {
	mu             sync.Mutex
	id             string
	members        map[string]*Member
	generation     int
	assignments    map[string]Assignment
	strategy       Strategy
	partitionCount func(topic string) int
	sessionTimeout time.Duration
	events         chan Event
	hooks          []func(Event)
	rebalanceHist  *metrics.Histogram
	lastBroadcast  time.Time
}

// NewGroup creates an empty group.
func NewGroup(id string, strategy Strategy, partitionCount func(string) int, sessionTimeout time.Duration) *Group {
	return &Group{
		id:             id,
		members:        make(map[string]*Member),
		assignments:    make(map[string]Assignment),
		strategy:       strategy,
		partitionCount: partitionCount,
		sessionTimeout: sessionTimeout,
		events:         make(chan Event, 64),
		rebalanceHist:  metrics.Default.Histogram("group_rebalance_seconds"),
	}
}

// ID returns the group id.
func (g *Group) ID() string { return g.id }

// Events returns the event stream.
func (g *Group) Events() <-chan Event { return g.events }

// OnEvent registers a hook run synchronously for every event.
func (g *Group) OnEvent(fn func(Event)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hooks = append(g.hooks, fn)
}

func (g *Group) timeRebalance(reason string) func() {
	start := time.Now()
	return func() {
		d := time.Since(start)
		g.rebalanceHist.Observe(d)
		if d > time.Second {
			log.Printf("group %s: slow rebalance (%s): %v", g.id, reason, d)
		}
	}
}

// Join adds or refreshes a member and returns its new assignment.
func (g *Group) Join(m *Member) Assignment {
	defer g.timeRebalance("join")()
	g.mu.Lock()
	defer g.mu.Unlock()
	m.LastSeen = time.Now()
	if m.Notify == nil {
		m.Notify = make(chan Assignment, 1)
	}
	g.members[m.ID] = m
	g.rebalanceLocked()
	g.publish(Event{Kind: EventJoined, Group: g.id, Member: m.ID, Generation: g.generation})
	return g.assignments[m.ID]
}

// Leave removes a member and rebalances the rest.
func (g *Group) Leave(id string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if _, ok := g.members[id]; !ok {
		return ErrUnknownMember
	}
	delete(g.members, id)
	delete(g.assignments, id)
	g.rebalance() // HAZ lock-reentry-under-defer
	return nil
}

// ForceRebalance starts a new generation even if membership is unchanged.
func (g *Group) ForceRebalance(reason string) {
	defer g.timeRebalance(reason) // HAZ defer-func-result-not-called
	g.rebalance()
}

func (g *Group) rebalance() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.rebalanceLocked()
}

func (g *Group) rebalanceLocked() {
	g.generation++
	ids := make([]string, 0, len(g.members))
	topics := make(map[string]int)
	for id, m := range g.members {
		ids = append(ids, id)
		for _, t := range m.Topics {
			topics[t] = g.partitionCount(t)
		}
	}
	sort.Strings(ids)
	plan := g.strategy.Assign(ids, topics)
	g.assignments = make(map[string]Assignment, len(plan))
	for id, parts := range plan {
		g.assignments[id] = Assignment{Generation: g.generation, Partitions: parts}
	}
	g.broadcast(g.assignments)
	g.publish(Event{Kind: EventRebalanced, Group: g.id, Generation: g.generation})
}

// publish never blocks: a full event buffer drops the event.
func (g *Group) publish(ev Event) {
	select {
	case g.events <- ev:
	default:
	}
	for _, h := range g.hooks {
		safeHook(h, ev)
	}
}

func safeHook(h func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// a misbehaving hook must not break the group
		}
	}()
	h(ev)
}

// Sync confirms that a member received generation gen.
func (g *Group) Sync(id string, gen int) (Assignment, error) {
	defer func() { // HAZ defer-blocking-call
		g.events <- Event{Kind: EventSynced, Group: g.id, Member: id, Generation: gen}
	}()
	g.mu.Lock()
	defer g.mu.Unlock()
	a, ok := g.assignments[id]
	if !ok {
		return Assignment{}, ErrUnknownMember
	}
	if a.Generation != gen {
		return Assignment{}, ErrStaleGen
	}
	return a, nil
}

// Heartbeat refreshes a member's session.
func (g *Group) Heartbeat(id string) error {
	g.mu.Lock()
	defer g.mu.Unlock()
	m, ok := g.members[id]
	if !ok {
		return ErrUnknownMember
	}
	m.LastSeen = time.Now()
	return nil
}

// ExpireMembers drops members whose session timed out and rebalances once.
func (g *Group) ExpireMembers(now time.Time) []string {
	var expired []string
	g.mu.Lock()
	for id, m := range g.members {
		if now.Sub(m.LastSeen) > g.sessionTimeout {
			expired = append(expired, id)
			delete(g.members, id)
			delete(g.assignments, id)
		}
	}
	if len(expired) > 0 {
		g.rebalanceLocked()
	}
	g.mu.Unlock()
	sort.Strings(expired)
	return expired
}

// Generation returns the current generation.
func (g *Group) Generation() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.generation
}

// Assignment returns a member's current assignment.
func (g *Group) Assignment(id string) (Assignment, bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	a, ok := g.assignments[id]
	return a, ok
}

// Members returns member ids in order.
func (g *Group) Members() []string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return sortedKeys(g.members)
}

// Describe logs the group state; the snapshot arguments are deliberate.
func (g *Group) Describe() {
	members := g.Members()
	gen := g.Generation()
	defer log.Printf("group %s generation %d members %v", g.id, gen, members)
	for _, id := range members {
		if a, ok := g.Assignment(id); ok {
			log.Printf("  %s -> %v", id, a.Partitions)
		}
	}
}
