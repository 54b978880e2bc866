package lobby

import (
	"fmt"
	"net"
	"sort"
	"sync"
	"time"
)

// Room is a chat room; every member has a buffered inbox drained by its
// client's pump goroutine.
type Room struct {
	name string

	mu      sync.RWMutex
	members map[string]chan string
}

// Join adds member and returns its inbox. Joining twice replaces (and
// closes) the previous inbox.
func (r *Room) Join(member string) <-chan string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if old, ok := r.members[member]; ok {
		close(old)
	}
	ch := make(chan string, 32)
	r.members[member] = ch
	return ch
}

// Leave removes member and closes its inbox.
func (r *Room) Leave(member string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if ch, ok := r.members[member]; ok {
		close(ch)
		delete(r.members, member)
	}
}

// Say sends a line to every other member without holding the room lock
// while delivering.
func (r *Room) Say(from, text string) int {
	r.mu.RLock()
	targets := make([]chan string, 0, len(r.members))
	for name, ch := range r.members {
		if name != from {
			targets = append(targets, ch)
		}
	}
	r.mu.RUnlock()

	line := fmt.Sprintf("[%s] %s: %s", r.name, from, text)
	n := 0
	for _, ch := range targets {
		if deliver(ch, line) {
			n++
		}
	}
	return n
}

// deliver does a non-blocking send; the member may have left (closing ch)
// since Say took its snapshot.
func deliver(ch chan string, line string) (ok bool) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	select {
	case ch <- line:
		return true
	default:
		return false
	}
}

// Members lists the members by name.
func (r *Room) Members() []string {
	r.mu.RLock()
	names := make([]string, 0, len(r.members))
	for name := range r.members {
		names = append(names, name)
	}
	r.mu.RUnlock()
	sort.Strings(names)
	return names
}

func (r *Room) closeAll() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for name, ch := range r.members {
		close(ch)
		delete(r.members, name)
	}
}

// client is one connected lobby user.
type client struct {
	conn net.Conn
	name string
	room *Room

	wmu sync.Mutex // serialises writes from the session and the pump
}

func newClient(conn net.Conn) *client {
	return &client{conn: conn, name: conn.RemoteAddr().String()}
}

func (c *client) say(line string) error {
	c.wmu.Lock()
	defer c.wmu.Unlock()
	if err := c.conn.SetWriteDeadline(time.Now().Add(5 * time.Second)); err != nil {
		return err
	}
	_, err := fmt.Fprintln(c.conn, line)
	return err
}

// farewell says goodbye and closes the connection, giving the client a
// moment to read the last line first.
func (c *client) farewell(msg string) {
	defer c.conn.Close()
	defer time.Sleep(200 * time.Millisecond) // HAZ defer-blocking-call
	if err := c.say(msg); err != nil {
		return
	}
}

// pump forwards a room inbox to the client until the inbox is closed.
func (c *client) pump(inbox <-chan string) {
	for line := range inbox {
		if c.say(line) != nil {
			return
		}
	}
}
