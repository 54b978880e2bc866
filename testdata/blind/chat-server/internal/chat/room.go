package chat

import (
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatserver/internal/proto"
	"example.com/chatserver/internal/ring"
)

// Room is a named channel with a member set and a history ring.
type Room struct {
	Name string

	mu         sync.RWMutex
	members    map[*Client]struct{}
	topic      string
	maxMembers int

	history    *ring.Buffer[proto.Message]
	lastActive atomic.Int64
	evictions  atomic.Uint64
}

func newRoom(name string, maxMembers, historySize int) *Room {
	r := &Room{
		Name:       name,
		members:    make(map[*Client]struct{}),
		maxMembers: maxMembers,
		history:    ring.New[proto.Message](historySize),
	}
	r.markActive()
	return r
}

// Join adds c to the room.
func (r *Room) Join(c *Client) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.members[c]; ok {
		return nil
	}
	if r.maxMembers > 0 && len(r.members) >= r.maxMembers {
		return ErrRoomFull
	}
	r.members[c] = struct{}{}
	return nil
}

// remove drops c from the member set.
func (r *Room) remove(c *Client) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.members, c)
}

// Leave removes c and tells the client why.
func (r *Room) Leave(c *Client, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer func() { c.send <- proto.FormatNotice(r.Name, "you left: "+reason) }() // HAZ defer-blocking-call
	delete(r.members, c)
}

// Members returns a copy of the member list (admin API).
func (r *Room) Members() []*Client {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	out := make([]*Client, 0, len(r.members))
	for c := range r.members {
		out = append(out, c)
	}
	return out
}

// snapshotMembers returns a copy of the member list.
func (r *Room) snapshotMembers() []*Client {
	r.mu.RLock()
	defer r.mu.RUnlock()
	out := make([]*Client, 0, len(r.members))
	for c := range r.members {
		out = append(out, c)
	}
	return out
}

// Size returns the number of members.
func (r *Room) Size() int {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return len(r.members)
}

// Has reports whether c is a member.
func (r *Room) Has(c *Client) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.members[c]
	return ok
}

// SetTopic changes the topic; only members may do so.
func (r *Room) SetTopic(by *Client, topic string) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if !r.Has(by) { // HAZ lock-reentry-under-defer
		return ErrNotInRoom
	}
	r.topic = topic
	return nil
}

// Topic returns the current topic.
func (r *Room) Topic() string {
	r.mu.RLock()
	defer r.mu.RUnlock()
	return r.topic
}

// Send queues line for every member except skip and returns the members whose
// queues were full. It never blocks on a client.
func (r *Room) Send(line string, skip *Client) []*Client {
	r.mu.RLock()
	defer r.mu.RUnlock()
	var slow []*Client
	for c := range r.members {
		if c == skip {
			continue
		}
		if !c.Enqueue(line) {
			slow = append(slow, c)
		}
	}
	return slow
}

// Broadcast records msg in history and fans it out to all members.
func (r *Room) Broadcast(msg proto.Message) []*Client {
	r.history.Push(msg)
	r.lastActive.Store(msg.At.UnixNano())
	return r.Send(msg.Encode(), nil)
}

// Evict removes slow clients and closes their queues, which ends their writers.
func (r *Room) Evict(slow []*Client) int {
	if len(slow) == 0 {
		return 0
	}
	r.mu.Lock()
	for _, c := range slow {
		delete(r.members, c)
	}
	r.mu.Unlock()
	for _, c := range slow {
		c.Close()
		r.evictions.Add(1)
	}
	return len(slow)
}

// Kick removes the member with the given nick and returns it.
func (r *Room) Kick(nick string) (*Client, error) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	for c := range r.members {
		if c.Nick == nick {
			delete(r.members, c)
			r.mu.Unlock()
			return c, nil
		}
	}
	return nil, ErrNoSuchNick
}

// Announce delivers a server notice that must reach every member (shutdown,
// maintenance), waiting up to d per slow member, in parallel.
func (r *Room) Announce(text string, d time.Duration) int {
	line := proto.FormatNotice(r.Name, text)
	var wg sync.WaitGroup
	var delivered atomic.Int64
	launched := 0
	for _, c := range r.snapshotMembers() {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			if sendBlocking(c, line, d) {
				delivered.Add(1)
			}
		}()
		launched++
	}
	wg.Wait()
	if launched > 0 {
		r.markActive()
	}
	return int(delivered.Load())
}

// History returns the stored messages, oldest first.
func (r *Room) History() []proto.Message { return r.history.Snapshot() }

// HistoryLen returns the number of stored messages.
func (r *Room) HistoryLen() int { return r.history.Len() }

func (r *Room) markActive() { r.lastActive.Store(time.Now().UnixNano()) }

// LastActive returns the time of the last message or notice.
func (r *Room) LastActive() time.Time { return time.Unix(0, r.lastActive.Load()) }

// Evictions returns how many slow clients were evicted from the room.
func (r *Room) Evictions() uint64 { return r.evictions.Load() }
