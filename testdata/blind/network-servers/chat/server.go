// Package chat is a line-oriented chat server: clients send text lines,
// commands start with '/', and every room broadcasts to its members through
// per-client write queues.
package chat

import (
	"errors"
	"fmt"
	"log"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Server accepts chat clients.
type Server struct {
	History *History
	logf    func(string, ...any)

	mu      sync.Mutex
	rooms   map[string]*Room
	clients map[*Client]struct{}
	ln      net.Listener

	guests atomic.Int64
	quit   chan struct{}
	wg     sync.WaitGroup
}

// NewServer returns a server; h may be nil to disable history.
func NewServer(h *History) *Server {
	return &Server{
		History: h,
		logf:    log.Printf,
		rooms:   make(map[string]*Room),
		clients: make(map[*Client]struct{}),
		quit:    make(chan struct{}),
	}
}

// Serve accepts clients on ln until Shutdown.
func (s *Server) Serve(ln net.Listener) error {
	s.mu.Lock()
	s.ln = ln
	s.mu.Unlock()

	var backoff time.Duration
	for {
		conn, err := ln.Accept()
		if err != nil {
			select {
			case <-s.quit:
				return nil
			default:
			}
			if errors.Is(err, net.ErrClosed) {
				return err
			}
			var ne net.Error
			if errors.As(err, &ne) && ne.Timeout() {
				backoff = min(max(2*backoff, 5*time.Millisecond), time.Second)
				time.Sleep(backoff)
				continue
			}
			return err
		}
		backoff = 0
		c := newClient(s, conn, fmt.Sprintf("guest%d", s.guests.Add(1)))
		s.mu.Lock()
		s.clients[c] = struct{}{}
		s.mu.Unlock()
		s.wg.Add(1)
		go func() {
			defer s.wg.Done()
			c.serve()
		}()
	}
}

// ServeAdmin answers a plain-text status port: one line per connection.
func (s *Server) ServeAdmin(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			s.logf("chat: admin accept: %v", err)
			time.Sleep(time.Second)
			continue
		}
		defer conn.Close() // HAZ defer-in-infinite-loop
		_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
		fmt.Fprintf(conn, "rooms=%d clients=%d\n", s.roomCount(), s.clientCount())
	}
}

// ServeStatus is the admin port done right: each connection is handled and
// closed by its own goroutine.
func (s *Server) ServeStatus(ln net.Listener) error {
	for {
		conn, err := ln.Accept()
		if err != nil {
			return err
		}
		go func() {
			defer conn.Close()
			_ = conn.SetWriteDeadline(time.Now().Add(time.Second))
			fmt.Fprintf(conn, "rooms=%d clients=%d\n", s.roomCount(), s.clientCount())
		}()
	}
}

func (s *Server) roomCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.rooms)
}

func (s *Server) clientCount() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.clients)
}

func (s *Server) forget(c *Client) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.clients, c)
}

// room returns the named room, creating it on first use.
func (s *Server) room(name string) *Room {
	s.mu.Lock()
	defer s.mu.Unlock()
	r, ok := s.rooms[name]
	if !ok {
		r = newRoom(name)
		s.rooms[name] = r
	}
	return r
}

// RoomNames returns the sorted room names.
func (s *Server) RoomNames() []string {
	s.mu.Lock()
	names := make([]string, 0, len(s.rooms))
	for n := range s.rooms {
		names = append(names, n)
	}
	s.mu.Unlock()
	sort.Strings(names)
	return names
}

func (s *Server) snapshotRooms() []*Room {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]*Room, 0, len(s.rooms))
	for _, r := range s.rooms {
		out = append(out, r)
	}
	return out
}

// Announce sends a system line to every room, one goroutine per room.
func (s *Server) Announce(msg string) {
	var wg sync.WaitGroup
	for _, r := range s.snapshotRooms() {
		wg.Add(1)
		go func() {
			if r.isClosed() {
				return
			}
			r.Broadcast(nil, "* "+msg)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
}

// Notice is Announce with the Done deferred.
func (s *Server) Notice(msg string) int {
	var (
		wg    sync.WaitGroup
		total atomic.Int64
	)
	for _, r := range s.snapshotRooms() {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if r.isClosed() {
				return
			}
			total.Add(int64(r.Broadcast(nil, "! "+msg)))
		}()
	}
	wg.Wait()
	return int(total.Load())
}

func (s *Server) runCommand(c *Client, line string) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	if !strings.HasPrefix(line, "/") {
		s.say(c, line)
		return
	}
	cmd, arg, _ := strings.Cut(line[1:], " ")
	switch cmd {
	case "join":
		s.join(c, strings.TrimPrefix(strings.TrimSpace(arg), "#"))
	case "leave":
		if r := c.swapRoom(nil); r != nil {
			r.Leave(c)
		}
	case "nick":
		old := c.setNick(strings.Fields(arg)[0])
		if r := c.currentRoom(); r != nil {
			r.Broadcast(nil, "* "+old+" is now "+c.Nick())
		}
	case "topic":
		if r := c.currentRoom(); r != nil {
			r.SetTopic(c, arg)
		}
	case "who":
		if r := c.currentRoom(); r != nil {
			c.send("* " + strings.Join(r.Nicks(), " "))
		}
	case "rooms":
		c.send("* " + strings.Join(s.RoomNames(), " "))
	default:
		c.send("* unknown command /" + cmd)
	}
}

func (s *Server) join(c *Client, name string) {
	if name == "" {
		c.send("* usage: /join <room>")
		return
	}
	r := s.room(name)
	if prev := c.swapRoom(r); prev != nil && prev != r {
		prev.Leave(c)
	}
	if !r.Join(c) {
		c.swapRoom(nil)
		c.send("* #" + name + " is closed")
		return
	}
	if t := r.Topic(); t != "" {
		c.send("* topic: " + t)
	}
}

func (s *Server) say(c *Client, text string) {
	r := c.currentRoom()
	if r == nil {
		c.send("* you are not in a room")
		return
	}
	line := fmt.Sprintf("<%s> %s", c.Nick(), text)
	r.Broadcast(c, line)
	if s.History != nil {
		if err := s.History.Append("#" + r.Name() + " " + line); err != nil {
			s.logf("chat: history: %v", err)
		}
	}
}

// Shutdown closes the listener and every client, then waits for their
// goroutines.
func (s *Server) Shutdown() {
	s.mu.Lock()
	select {
	case <-s.quit:
		s.mu.Unlock()
		return
	default:
	}
	close(s.quit)
	if s.ln != nil {
		_ = s.ln.Close()
	}
	clients := make([]*Client, 0, len(s.clients))
	for c := range s.clients {
		clients = append(clients, c)
	}
	s.mu.Unlock()

	for _, c := range clients {
		c.close()
	}
	s.wg.Wait()
}
