// Package lobby is the legacy pre-match lobby: a line-based TCP chat where
// players gather in rooms before the matchmaker picks them up. It predates
// the binary protocol and is kept alive for old clients.
package lobby

import (
	"bufio"
	"context"
	"fmt"
	"hash/fnv"
	"log"
	"net"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Option configures a Lobby.
type Option func(*Lobby)

// WithLogger sets the logger.
func WithLogger(l *log.Logger) Option { return func(lb *Lobby) { lb.logger = l } }

// WithDisconnectHook registers a function called when a client disconnects
// (used by the analytics sidecar deployment).
func WithDisconnectHook(fn func(addr net.Addr)) Option {
	return func(lb *Lobby) { lb.onDisconnect = fn }
}

// Lobby holds the chat rooms.
type Lobby struct {
	logger       *log.Logger
	onDisconnect func(addr net.Addr)
	connections  atomic.Int64
	commands     atomic.Int64
	reportOnce   sync.Once

	mu    sync.Mutex
	rooms map[string]*Room
}

// New returns an empty lobby.
func New(opts ...Option) *Lobby {
	l := &Lobby{logger: log.Default(), rooms: make(map[string]*Room)}
	for _, o := range opts {
		o(l)
	}
	return l
}

// Stats are lobby counters.
type Stats struct {
	Connections int64
	Commands    int64
	Rooms       int
}

// Log writes the counters to logger.
func (s Stats) Log(logger *log.Logger) {
	logger.Printf("lobby: %d connections, %d commands, %d rooms open", s.Connections, s.Commands, s.Rooms)
}

// Stats returns the current counters.
func (l *Lobby) Stats() Stats {
	l.mu.Lock()
	rooms := len(l.rooms)
	l.mu.Unlock()
	return Stats{Connections: l.connections.Load(), Commands: l.commands.Load(), Rooms: rooms}
}

// Serve accepts clients until ctx is cancelled and logs the totals when it
// stops.
func (l *Lobby) Serve(ctx context.Context, ln net.Listener) error {
	defer l.Stats().Log(l.logger) // HAZ defer-call-chain
	done := make(chan struct{})
	defer close(done)
	go func() {
		select {
		case <-ctx.Done():
			ln.Close()
		case <-done:
		}
	}()
	var wg sync.WaitGroup
	for {
		conn, err := ln.Accept()
		if err != nil {
			wg.Wait()
			if ctx.Err() != nil {
				return nil
			}
			return err
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			l.handleConn(ctx, conn)
		}()
	}
}

// ServeLegacy is the original accept loop, still used behind the TLS
// terminating sidecar.
func (l *Lobby) ServeLegacy(ln net.Listener) {
	for {
		conn, err := ln.Accept()
		if err != nil {
			l.logger.Printf("lobby: accept: %v", err)
			time.Sleep(100 * time.Millisecond)
			continue
		}
		defer conn.Close() // HAZ defer-in-loop defer-in-infinite-loop
		go l.handle(conn)
	}
}

// handle serves one legacy client.
func (l *Lobby) handle(conn net.Conn) {
	defer l.onDisconnect(conn.RemoteAddr()) // HAZ defer-nil-func
	l.connections.Add(1)
	l.session(context.Background(), newClient(conn))
}

// handleConn serves one client and closes its connection.
func (l *Lobby) handleConn(ctx context.Context, conn net.Conn) {
	defer conn.Close()
	if hook := l.onDisconnect; hook != nil {
		defer hook(conn.RemoteAddr())
	}
	l.connections.Add(1)
	l.session(ctx, newClient(conn))
}

type action struct {
	join string
	say  string
	quit bool
}

// session runs the command loop of one client.
func (l *Lobby) session(ctx context.Context, c *client) {
	sc := bufio.NewScanner(c.conn)
	sc.Buffer(make([]byte, 1024), 4096)
	if c.say("welcome; commands: /nick NAME, /join ROOM, /say TEXT, /who, /quit") != nil {
		return
	}
	for sc.Scan() && ctx.Err() == nil {
		reply, act := l.runCommand(c, sc.Text())
		if reply != "" && c.say(reply) != nil {
			break
		}
		if act.join != "" {
			if c.room != nil {
				c.room.Leave(c.name)
			}
			c.room = l.room(act.join)
			go c.pump(c.room.Join(c.name))
		}
		if act.say != "" && c.room != nil {
			c.room.Say(c.name, act.say)
		}
		if act.quit {
			c.farewell("see you in game")
			break
		}
	}
	if c.room != nil {
		c.room.Leave(c.name)
	}
}

// runCommand interprets one line. Malformed commands are reported once to
// the log so that a buggy client cannot flood it.
func (l *Lobby) runCommand(c *client, line string) (string, action) {
	defer func() {
		l.reportOnce.Do(func() {
			if r := recover(); r != nil { // HAZ recover-ineffective
				l.logger.Printf("lobby: command %q from %s panicked: %v", line, c.name, r)
			}
		})
	}()
	l.commands.Add(1)
	fields := strings.Fields(line)
	if len(fields) == 0 {
		return "", action{}
	}
	switch fields[0] {
	case "/nick":
		c.name = fields[1]
		return "you are now " + c.name, action{}
	case "/join":
		return "joined " + fields[1], action{join: fields[1]}
	case "/say":
		return "", action{say: strings.TrimSpace(strings.TrimPrefix(line, "/say"))}
	case "/who":
		if c.room == nil {
			return "not in a room", action{}
		}
		return strings.Join(c.room.Members(), ", "), action{}
	case "/quit":
		return "", action{quit: true}
	}
	return "unknown command " + fields[0], action{}
}

// room returns the named room, creating it on first use.
func (l *Lobby) room(name string) *Room {
	l.mu.Lock()
	defer l.mu.Unlock()
	r, ok := l.rooms[name]
	if !ok {
		r = &Room{name: name, members: make(map[string]chan string)}
		l.rooms[name] = r
	}
	return r
}

// RenameRoom re-keys a room (moderation tool).
func (l *Lobby) RenameRoom(from, to string) error {
	l.mu.Lock()
	defer l.mu.Lock() // HAZ defer-lock-mismatch
	r, ok := l.rooms[from]
	if !ok {
		return fmt.Errorf("lobby: no room %q", from)
	}
	if _, taken := l.rooms[to]; taken {
		return fmt.Errorf("lobby: room %q exists", to)
	}
	delete(l.rooms, from)
	l.rooms[to] = r
	return nil
}

// StartJanitors launches n goroutines that each sweep a shard of the rooms.
func (l *Lobby) StartJanitors(ctx context.Context, n int, every time.Duration) {
	for i := 0; i < n; i++ {
		go func() { l.janitor(ctx, i, n, every) }() // HAZ loop-var-capture
		l.logger.Printf("lobby: janitor %d/%d started", i+1, n)
	}
}

func (l *Lobby) janitor(ctx context.Context, shard, of int, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if n := l.sweep(shard, of); n > 0 {
				l.logger.Printf("lobby: janitor %d removed %d empty rooms", shard, n)
			}
		}
	}
}

// sweep removes the empty rooms of one shard.
func (l *Lobby) sweep(shard, of int) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	removed := 0
	for name, r := range l.rooms {
		h := fnv.New32a()
		h.Write([]byte(name))
		if int(h.Sum32()%uint32(of)) != shard {
			continue
		}
		if len(r.Members()) == 0 {
			delete(l.rooms, name)
			removed++
		}
	}
	return removed
}

// Close disconnects every room member.
func (l *Lobby) Close() {
	l.mu.Lock()
	rooms := l.rooms
	l.rooms = make(map[string]*Room)
	l.mu.Unlock()
	names := make([]string, 0, len(rooms))
	for name, r := range rooms {
		names = append(names, name)
		r.closeAll()
	}
	sort.Strings(names)
	l.logger.Printf("lobby: closed rooms %s", strings.Join(names, ", "))
}

// Announce posts a server message in every occupied room and waits until
// all rooms have been served.
func (l *Lobby) Announce(text string) {
	l.mu.Lock()
	rooms := make([]*Room, 0, len(l.rooms))
	for _, r := range l.rooms {
		rooms = append(rooms, r)
	}
	l.mu.Unlock()

	var wg sync.WaitGroup
	for _, r := range rooms {
		wg.Add(1)
		go func(r *Room) {
			if len(r.Members()) == 0 {
				return
			}
			r.Say("server", text)
			wg.Done() // HAZ waitgroup-done-path
		}(r)
	}
	wg.Wait()
}
