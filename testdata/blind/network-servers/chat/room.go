package chat

import (
	"sort"
	"sync"
)

// Room is a named channel that broadcasts every line to its members.
type Room struct {
	name string

	mu      sync.RWMutex
	topic   string
	members map[*Client]struct{}
	closed  bool
}

func newRoom(name string) *Room {
	return &Room{name: name, members: make(map[*Client]struct{})}
}

// Name returns the room name.
func (r *Room) Name() string { return r.name }

// Join adds c and announces it to the room.
func (r *Room) Join(c *Client) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return false
	}
	r.members[c] = struct{}{}
	r.Broadcast(c, "* "+c.Nick()+" joined #"+r.name) // HAZ lock-reentry-under-defer
	return true
}

// Leave removes c and tells the others.
func (r *Room) Leave(c *Client) {
	r.mu.Lock()
	_, ok := r.members[c]
	delete(r.members, c)
	r.mu.Unlock()

	if ok {
		r.Broadcast(c, "* "+c.Nick()+" left #"+r.name) // ok: the lock was released above
	}
}

// Broadcast queues msg for every member except from. Slow members whose
// queue is full miss the line.
func (r *Room) Broadcast(from *Client, msg string) int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	n := 0
	for c := range r.members {
		if c == from {
			continue
		}
		if c.send(msg) {
			n++
		}
	}
	return n
}

// Members returns the current members.
func (r *Room) Members() []*Client {
	r.mu.Lock()
	defer r.mu.RUnlock() // HAZ defer-lock-mismatch
	out := make([]*Client, 0, len(r.members))
	for c := range r.members {
		out = append(out, c)
	}
	return out
}

// Nicks returns the sorted member nicknames.
func (r *Room) Nicks() []string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]string, 0, len(r.members))
	for c := range r.members {
		out = append(out, c.Nick())
	}
	sort.Strings(out)
	return out
}

// SetTopic changes the topic and announces it.
func (r *Room) SetTopic(by *Client, topic string) {
	r.mu.Lock()
	r.topic = topic
	r.mu.Unlock()
	r.Broadcast(nil, "* "+by.Nick()+" set the topic: "+topic)
}

// Topic returns the topic.
func (r *Room) Topic() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.topic
}

func (r *Room) isClosed() bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.closed
}

// Close empties the room; later joins fail.
func (r *Room) Close() []*Client {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.closed = true
	out := make([]*Client, 0, len(r.members))
	for c := range r.members {
		out = append(out, c)
		delete(r.members, c)
	}
	return out
}
