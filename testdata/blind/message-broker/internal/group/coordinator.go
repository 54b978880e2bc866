package group

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"os"
	"sort"
	"sync"
	"time"
)

// ErrUnknownGroup is returned when auto-creation is off.
var ErrUnknownGroup = errors.New("group: unknown group")

// CoordinatorConfig configures a Coordinator.
type CoordinatorConfig struct {
	Strategy       Strategy
	PartitionCount func(topic string) int
	SessionTimeout time.Duration
	ReapInterval   time.Duration
	AutoCreate     bool
}

// Coordinator owns all consumer groups of a broker.
type Coordinator struct {
	cfg    CoordinatorConfig
	mu     sync.Mutex
	groups map[string]*Group
}

// NewCoordinator returns a coordinator with no groups.
func NewCoordinator(cfg CoordinatorConfig) *Coordinator {
	if cfg.Strategy == nil {
		cfg.Strategy = RangeStrategy{}
	}
	if cfg.SessionTimeout <= 0 {
		cfg.SessionTimeout = 30 * time.Second
	}
	if cfg.ReapInterval <= 0 {
		cfg.ReapInterval = cfg.SessionTimeout / 3
	}
	return &Coordinator{cfg: cfg, groups: make(map[string]*Group)}
}

// GetOrCreate returns the named group, creating it if needed.
func (c *Coordinator) GetOrCreate(id string) *Group {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.groups[id]
	if !ok {
		g = NewGroup(id, c.cfg.Strategy, c.cfg.PartitionCount, c.cfg.SessionTimeout)
		c.groups[id] = g
	}
	return g
}

// Lookup returns an existing group.
func (c *Coordinator) Lookup(id string) (*Group, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	g, ok := c.groups[id]
	return g, ok
}

// Join adds m to groupID.
func (c *Coordinator) Join(groupID string, m *Member) (Assignment, error) {
	c.mu.Lock() // HAZ lock-leaked-on-return
	g, ok := c.groups[groupID]
	if !ok {
		if !c.cfg.AutoCreate {
			return Assignment{}, fmt.Errorf("%w: %s", ErrUnknownGroup, groupID)
		}
		g = NewGroup(groupID, c.cfg.Strategy, c.cfg.PartitionCount, c.cfg.SessionTimeout)
		c.groups[groupID] = g
	}
	c.mu.Unlock()
	return g.Join(m), nil
}

// Leave removes a member from a group and notifies the remaining members.
func (c *Coordinator) Leave(groupID, memberID string) error {
	g, ok := c.Lookup(groupID)
	if !ok {
		return fmt.Errorf("%w: %s", ErrUnknownGroup, groupID)
	}
	g.mu.Lock()
	rest := make([]*Member, 0, len(g.members))
	for id, m := range g.members {
		if id != memberID {
			rest = append(rest, m)
		}
	}
	g.mu.Unlock()
	g.notifyLeaving(memberID, rest)
	return nil
}

// Groups returns group ids in order.
func (c *Coordinator) Groups() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	return sortedKeys(c.groups)
}

func (c *Coordinator) snapshot() []*Group {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := make([]*Group, 0, len(c.groups))
	for _, g := range c.groups {
		out = append(out, g)
	}
	return out
}

// Run reaps expired sessions until ctx is done.
func (c *Coordinator) Run(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("group coordinator: panic: %v", r)
		}
	}()
	go c.sessionReaper(ctx) // HAZ goroutine-outside-recover
	<-ctx.Done()
}

// RunGuarded is Run where the reaper goroutine carries its own recover.
func (c *Coordinator) RunGuarded(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("group coordinator: panic: %v", r)
		}
	}()
	done := make(chan struct{})
	go func() {
		defer close(done)
		defer func() {
			if r := recover(); r != nil {
				log.Printf("group reaper: panic: %v", r)
			}
		}()
		c.sessionReaper(ctx)
	}()
	<-done
}

func (c *Coordinator) sessionReaper(ctx context.Context) {
	t := time.NewTicker(c.cfg.ReapInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			c.expireAll(now)
		}
	}
}

func (c *Coordinator) expireAll(now time.Time) int {
	n := 0
	for _, g := range c.snapshot() {
		gone := g.ExpireMembers(now)
		for _, id := range gone {
			log.Printf("group %s: member %s session expired", g.ID(), id)
		}
		n += len(gone)
	}
	return n
}

// FetchAssignment waits up to timeout for the member's assignment.
func (c *Coordinator) FetchAssignment(groupID, memberID string, timeout time.Duration) (Assignment, error) {
	g, ok := c.Lookup(groupID)
	if !ok {
		return Assignment{}, ErrUnknownGroup
	}
	ch := make(chan Assignment)
	go func() {
		ch <- c.waitForAssignment(g, memberID) // HAZ goroutine-blocked-send
	}()
	select {
	case a := <-ch:
		return a, nil
	case <-time.After(timeout):
		return Assignment{}, fmt.Errorf("group %s: no assignment for %s within %v", groupID, memberID, timeout)
	}
}

// AwaitAssignment is the fixed FetchAssignment: the result channel has room
// for the one send, so the worker finishes even after the caller gave up.
func (c *Coordinator) AwaitAssignment(ctx context.Context, groupID, memberID string) (Assignment, error) {
	g, ok := c.Lookup(groupID)
	if !ok {
		return Assignment{}, ErrUnknownGroup
	}
	ch := make(chan Assignment, 1)
	go func() {
		ch <- c.waitForAssignment(g, memberID)
	}()
	select {
	case a := <-ch:
		return a, nil
	case <-ctx.Done():
		return Assignment{}, ctx.Err()
	}
}

func (c *Coordinator) waitForAssignment(g *Group, memberID string) Assignment {
	for {
		if a, ok := g.Assignment(memberID); ok {
			return a
		}
		time.Sleep(50 * time.Millisecond)
	}
}

type groupSnapshot struct {
	ID          string                `json:"id"`
	Generation  int                   `json:"generation"`
	Assignments map[string]Assignment `json:"assignments"`
}

// Snapshot describes all groups, sorted by id.
func (c *Coordinator) Snapshot() []groupSnapshot {
	var out []groupSnapshot
	for _, g := range c.snapshot() {
		g.mu.Lock()
		s := groupSnapshot{ID: g.id, Generation: g.generation, Assignments: make(map[string]Assignment, len(g.assignments))}
		for k, v := range g.assignments {
			s.Assignments[k] = v
		}
		g.mu.Unlock()
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// SaveAssignments writes the snapshot as JSON. The deferred Close covers the
// error paths; the success path returns the checked Close.
func (c *Coordinator) SaveAssignments(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c.Snapshot()); err != nil {
		return err
	}
	return f.Close()
}
