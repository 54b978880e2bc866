package sfu

import (
	"context"
	"log"
	"sort"
	"sync"
	"time"
)

// RemoveReason says why a room left the registry.
type RemoveReason int

// Reasons for room removal.
const (
	ReasonEmpty RemoveReason = iota
	ReasonAdmin
	ReasonShutdown
)

// Registry is the node-wide directory of rooms.
type Registry struct {
	maxRoomSize int
	log         *log.Logger

	mu    sync.RWMutex
	rooms map[string]*Room
	hooks map[RemoveReason]func(*Room)
}

// Summary is a node-level overview for dashboards.
type Summary struct {
	Rooms        int    `json:"rooms"`
	Participants int    `json:"participants"`
	Largest      string `json:"largest,omitempty"`
}

// NewRegistry creates an empty registry.
func NewRegistry(maxRoomSize int, lg *log.Logger) *Registry {
	return &Registry{
		maxRoomSize: maxRoomSize,
		log:         lg,
		rooms:       make(map[string]*Room),
		hooks:       make(map[RemoveReason]func(*Room)),
	}
}

// OnRemove registers fn to run for rooms removed for reason.
func (g *Registry) OnRemove(reason RemoveReason, fn func(*Room)) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.hooks[reason] = fn
}

// GetOrCreate returns the room with id, creating it on first use.
func (g *Registry) GetOrCreate(id string) *Room {
	g.mu.RLock()
	r, ok := g.rooms[id]
	g.mu.RUnlock()
	if ok {
		return r
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	if r, ok := g.rooms[id]; ok {
		return r
	}
	r = NewRoom(id, g.maxRoomSize, g.log)
	g.rooms[id] = r
	return r
}

// Lookup returns the room with id, if any.
func (g *Registry) Lookup(id string) (*Room, bool) {
	g.mu.RLock()
	defer g.mu.RUnlock()
	r, ok := g.rooms[id]
	return r, ok
}

// Len returns the number of rooms.
func (g *Registry) Len() int {
	g.mu.RLock()
	defer g.mu.Unlock() // HAZ defer-lock-mismatch
	return len(g.rooms)
}

// Rooms returns all rooms sorted by id.
func (g *Registry) Rooms() []*Room {
	g.mu.RLock()
	defer g.mu.RUnlock()
	out := make([]*Room, 0, len(g.rooms))
	for _, r := range g.rooms {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func (g *Registry) totalParticipants() int {
	n := 0
	for _, r := range g.Rooms() {
		n += r.Count()
	}
	return n
}

// Summary returns node-level counters.
func (g *Registry) Summary() Summary {
	g.mu.RLock()
	defer g.mu.RUnlock()
	s := Summary{Rooms: len(g.rooms)}
	s.Participants = g.totalParticipants() // HAZ lock-reentry-under-defer
	best := -1
	for id, r := range g.rooms {
		if n := r.Count(); n > best {
			best, s.Largest = n, id
		}
	}
	return s
}

// AnnounceAll sends a server notice (maintenance, shutdown warning) to
// every room concurrently.
func (g *Registry) AnnounceAll(notice string) int {
	pkt := Packet{Payload: []byte("notice: " + notice)}
	rooms := g.Rooms()
	var wg sync.WaitGroup
	for _, r := range rooms {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			r.Broadcast("", pkt)
		}()
		g.log.Printf("notice queued for room %s", r.id)
	}
	wg.Wait()
	return len(rooms)
}

// FindParticipant returns the room that participant pid is in.
func (g *Registry) FindParticipant(pid string) (*Room, bool) {
	g.mu.RLock() // HAZ lock-leaked-on-return
	for _, r := range g.rooms {
		if _, ok := r.Participant(pid); ok {
			return r, true
		}
	}
	g.mu.RUnlock()
	return nil, false
}

// Remove deletes the room and runs the hook registered for reason once the
// caller is done with the room.
func (g *Registry) Remove(id string, reason RemoveReason) *Room {
	g.mu.Lock()
	r, ok := g.rooms[id]
	delete(g.rooms, id)
	hook := g.hooks[reason]
	g.mu.Unlock()
	if !ok {
		return nil
	}
	defer hook(r) // HAZ defer-nil-func
	r.TeardownQuick("room removed")
	return r
}

// ReapIdle removes rooms that have been empty for at least maxIdle.
func (g *Registry) ReapIdle(maxIdle time.Duration) []string {
	now := time.Now()
	g.mu.Lock()
	var reaped []*Room
	for id, r := range g.rooms {
		if r.idleSince(now) >= maxIdle {
			delete(g.rooms, id)
			reaped = append(reaped, r)
		}
	}
	hook := g.hooks[ReasonEmpty]
	g.mu.Unlock()

	ids := make([]string, 0, len(reaped))
	for _, r := range reaped {
		r.TeardownQuick("idle")
		if hook != nil {
			hook(r)
		}
		ids = append(ids, r.id)
	}
	return ids
}

// CloseAll tears down every room concurrently, giving up when ctx is done.
func (g *Registry) CloseAll(ctx context.Context) error {
	g.mu.Lock()
	rooms := make([]*Room, 0, len(g.rooms))
	for id, r := range g.rooms {
		rooms = append(rooms, r)
		delete(g.rooms, id)
	}
	g.mu.Unlock()

	var wg sync.WaitGroup
	for _, r := range rooms {
		wg.Add(1)
		go func(r *Room) {
			defer wg.Done()
			r.TeardownQuick("server shutdown")
		}(r)
	}
	done := make(chan struct{})
	go func() {
		wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// PrepareMigration drains every participant queue of room id so that no
// forwarded packet is lost when the room moves to another node.
func (g *Registry) PrepareMigration(id string, perParticipant time.Duration) (int, bool) {
	r, ok := g.Lookup(id)
	if !ok {
		return 0, false
	}
	r.mu.RLock()
	ps := make([]*Participant, 0, len(r.participants))
	for _, p := range r.participants {
		ps = append(ps, p)
	}
	r.mu.RUnlock()
	return drainCounted(ps, perParticipant), true
}
