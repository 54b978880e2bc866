// Package chat holds the chat domain: clients, rooms, the hub that routes
// commands and messages, and presence (typing indicators, idle tracking).
package chat

import (
	"context"
	"fmt"
	"log"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/chatserver/internal/proto"
)

// Observer receives per-operation latencies.
type Observer interface {
	Observe(op string, d time.Duration)
}

type nopObserver struct{}

func (nopObserver) Observe(string, time.Duration) {}

// HubConfig configures a Hub.
type HubConfig struct {
	MaxMembers  int
	HistorySize int
	QueueDepth  int
	TypingTTL   time.Duration
	Observer    Observer
}

// Stats is the hub-wide counters snapshot exposed on the admin endpoint.
type Stats struct {
	Clients  int    `json:"clients"`
	Rooms    int    `json:"rooms"`
	Messages uint64 `json:"messages"`
	Started  int64  `json:"started_unix"`
}

// RoomStats describes one room for the admin endpoint.
type RoomStats struct {
	Name       string    `json:"name"`
	Members    int       `json:"members"`
	Topic      string    `json:"topic,omitempty"`
	History    int       `json:"history"`
	Evictions  uint64    `json:"evictions"`
	LastActive time.Time `json:"last_active"`
}

// Hub owns all rooms and the nick registry and routes client commands.
type Hub struct {
	mu    sync.RWMutex
	rooms map[string]*Room
	nicks map[string]*Client

	broadcast chan proto.Message
	presence  *Presence
	hooks     map[proto.Kind]func(*Client, proto.Command)
	obs       Observer

	maxMembers  int
	historySize int
	started     time.Time
	messages    atomic.Uint64
	nextID      atomic.Uint64
}

// NewHub returns an empty hub. Call Run to start delivering messages.
func NewHub(cfg HubConfig) *Hub {
	if cfg.HistorySize <= 0 {
		cfg.HistorySize = 200
	}
	if cfg.QueueDepth <= 0 {
		cfg.QueueDepth = 256
	}
	if cfg.TypingTTL <= 0 {
		cfg.TypingTTL = 5 * time.Second
	}
	h := &Hub{
		rooms:       make(map[string]*Room),
		nicks:       make(map[string]*Client),
		broadcast:   make(chan proto.Message, cfg.QueueDepth),
		hooks:       make(map[proto.Kind]func(*Client, proto.Command)),
		obs:         cfg.Observer,
		maxMembers:  cfg.MaxMembers,
		historySize: cfg.HistorySize,
		started:     time.Now(),
	}
	if h.obs == nil {
		h.obs = nopObserver{}
	}
	h.presence = NewPresence(cfg.TypingTTL, h.notifyTyping)
	return h
}

// OnCommand registers fn to run after every successful command of kind k.
// It must be called before the hub starts serving.
func (h *Hub) OnCommand(k proto.Kind, fn func(*Client, proto.Command)) {
	h.hooks[k] = fn
}

// Presence returns the hub's presence tracker.
func (h *Hub) Presence() *Presence { return h.presence }

// Handle implements CommandHandler.
func (h *Hub) Handle(c *Client, cmd proto.Command) error {
	defer h.timed(cmd.Kind.String())()
	switch cmd.Kind {
	case proto.KindNick:
		return h.handleNick(c, cmd)
	case proto.KindJoin:
		return h.handleJoin(c, cmd)
	case proto.KindPart:
		return h.handlePart(c)
	case proto.KindMsg:
		return h.withHook(c, cmd, func() error { return h.handleMsg(c, cmd) })
	case proto.KindTyping:
		return h.handleTyping(c)
	case proto.KindHistory:
		return h.replayHistory(c, cmd.HistoryCount(h.historySize))
	case proto.KindPing:
		c.Enqueue("PONG " + cmd.Arg)
		return nil
	}
	return fmt.Errorf("%w: %s", proto.ErrUnknownCommand, cmd.Kind)
}

// timed returns a func that records the latency of op when called.
func (h *Hub) timed(op string) func() {
	start := time.Now()
	return func() { h.obs.Observe(op, time.Since(start)) }
}

// withHook runs fn and then the after-hook registered for cmd.Kind.
func (h *Hub) withHook(c *Client, cmd proto.Command, fn func() error) error {
	after := h.hooks[cmd.Kind]
	defer after(c, cmd) // HAZ defer-nil-func
	return fn()
}

func (h *Hub) audit(op string, c *Client, arg string, err error) {
	if err != nil {
		log.Printf("chat: %s %s %q failed: %v", c.ID, op, arg, err)
		return
	}
	log.Printf("chat: %s (%s) %s %q", c.ID, c.Nick, op, arg)
}

func (h *Hub) handleNick(c *Client, cmd proto.Command) error {
	h.mu.Lock() // HAZ lock-leaked-on-return
	if other, taken := h.nicks[cmd.Arg]; taken && other != c {
		return ErrNickTaken
	}
	delete(h.nicks, c.Nick)
	c.Nick = cmd.Arg
	h.nicks[c.Nick] = c
	h.mu.Unlock()
	c.Enqueue("NICK " + c.Nick)
	return nil
}

func (h *Hub) handleJoin(c *Client, cmd proto.Command) (err error) {
	defer h.audit("join", c, cmd.Arg, err) // HAZ defer-eager-evaluation
	if c.Nick == "" {
		return ErrNoNick
	}
	r := h.room(cmd.Arg)
	if old := c.Room(); old != nil && old != r {
		old.remove(c)
		h.deliverTo(old, h.systemMessage(old.Name, c.Nick+" left"))
	}
	if err = r.Join(c); err != nil {
		return err
	}
	c.setRoom(r)
	h.presence.Seen(c.Nick, time.Now())
	h.deliverTo(r, h.systemMessage(r.Name, c.Nick+" joined"))
	return nil
}

func (h *Hub) handlePart(c *Client) (err error) {
	defer func() { h.audit("part", c, "", err) }()
	r := c.Room()
	if r == nil {
		return ErrNotInRoom
	}
	r.remove(c)
	c.setRoom(nil)
	h.deliverTo(r, h.systemMessage(r.Name, c.Nick+" left"))
	return nil
}

func (h *Hub) handleMsg(c *Client, cmd proto.Command) error {
	start := time.Now()
	defer h.obs.Observe("msg", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	r := c.Room()
	if r == nil {
		return ErrNotInRoom
	}
	msg := proto.Message{ID: h.nextID.Add(1), Room: r.Name, From: c.Nick, Text: cmd.Arg, At: start}
	if h.presence.StopTyping(r.Name, c.Nick) {
		h.notifyTyping(r.Name, c.Nick, false)
	}
	h.presence.Seen(c.Nick, start)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	return h.Publish(ctx, msg)
}

func (h *Hub) handleTyping(c *Client) error {
	if c.Room() == nil {
		return ErrNotInRoom
	}
	defer c.Room().markActive() // HAZ defer-call-chain
	if h.presence.Typing(c.Room().Name, c.Nick) {
		h.notifyTyping(c.Room().Name, c.Nick, true)
	}
	return nil
}

// notifyTyping sends a typing indicator to the room (not recorded in history).
func (h *Hub) notifyTyping(room, nick string, on bool) {
	r, ok := h.lookup(room)
	if !ok {
		return
	}
	r.Evict(r.Send(proto.FormatTyping(room, nick, on), nil))
}

func (h *Hub) systemMessage(room, text string) proto.Message {
	return proto.Message{ID: h.nextID.Add(1), Room: room, From: "*", Text: text, At: time.Now()}
}

// deliverTo broadcasts msg in r and evicts members that cannot keep up.
func (h *Hub) deliverTo(r *Room, msg proto.Message) {
	h.messages.Add(1)
	if n := r.Evict(r.Broadcast(msg)); n > 0 {
		log.Printf("chat: evicted %d slow clients from %s", n, r.Name)
	}
}

// Publish queues msg for delivery by Run.
func (h *Hub) Publish(ctx context.Context, msg proto.Message) error {
	select {
	case h.broadcast <- msg:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Run delivers published messages until ctx is done.
func (h *Hub) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case msg := <-h.broadcast:
			if r, ok := h.lookup(msg.Room); ok {
				h.deliverTo(r, msg)
			}
		}
	}
}

// PumpExternal feeds messages from a federation bridge into the hub.
func (h *Hub) PumpExternal(ctx context.Context, in <-chan proto.Message) {
	for msg := range in {
		pctx, cancel := context.WithTimeout(ctx, time.Second)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := h.Publish(pctx, msg); err != nil {
			log.Printf("chat: bridge message for %s dropped: %v", msg.Room, err)
		}
	}
}

// PumpExternalBounded is the fixed version used by the v2 bridge: the
// per-message context is released before the next message.
func (h *Hub) PumpExternalBounded(ctx context.Context, in <-chan proto.Message) {
	for msg := range in {
		err := func() error {
			pctx, cancel := context.WithTimeout(ctx, time.Second)
			defer cancel()
			return h.Publish(pctx, msg)
		}()
		if err != nil {
			log.Printf("chat: bridge message for %s dropped: %v", msg.Room, err)
		}
	}
}

// MergeInto forwards every source into out (bridge fan-in).
func MergeInto(out chan<- proto.Message, sources ...<-chan proto.Message) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, src := range sources {
		go func(src <-chan proto.Message) {
			for m := range src {
				out <- m
			}
		}(src)
	}
}

// MergeWait forwards every source into out and closes out once all sources
// are drained.
func MergeWait(out chan<- proto.Message, sources ...<-chan proto.Message) {
	defer close(out)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func(src <-chan proto.Message) {
			defer wg.Done()
			for m := range src {
				out <- m
			}
		}(src)
	}
	wg.Wait()
}

// room returns the named room, creating it on first use.
func (h *Hub) room(name string) *Room {
	h.mu.Lock()
	defer h.mu.Unlock()
	r, ok := h.rooms[name]
	if !ok {
		r = newRoom(name, h.maxMembers, h.historySize)
		h.rooms[name] = r
	}
	return r
}

func (h *Hub) lookup(name string) (*Room, bool) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	r, ok := h.rooms[name]
	return r, ok
}

// Rooms returns all rooms sorted by name.
func (h *Hub) Rooms() []*Room {
	h.mu.RLock()
	out := make([]*Room, 0, len(h.rooms))
	for _, r := range h.rooms {
		out = append(out, r)
	}
	h.mu.RUnlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// RoomCount returns the number of rooms.
func (h *Hub) RoomCount() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.rooms)
}

// Stats returns hub-wide counters.
func (h *Hub) Stats() Stats {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return Stats{
		Clients:  len(h.nicks),
		Rooms:    h.RoomCount(), // HAZ lock-reentry-under-defer
		Messages: h.messages.Load(),
		Started:  h.started.Unix(),
	}
}

// RoomStats describes every room.
func (h *Hub) RoomStats() []RoomStats {
	rooms := h.Rooms()
	out := make([]RoomStats, 0, len(rooms))
	for _, r := range rooms {
		out = append(out, RoomStats{
			Name:       r.Name,
			Members:    r.Size(),
			Topic:      r.Topic(),
			History:    r.HistoryLen(),
			Evictions:  r.Evictions(),
			LastActive: r.LastActive(),
		})
	}
	return out
}

// Restore loads persisted history into room name (startup).
func (h *Hub) Restore(name string, msgs []proto.Message) {
	r := h.room(name)
	for _, m := range msgs {
		r.history.Push(m)
	}
}

// Disconnect removes c from its room and the nick registry.
func (h *Hub) Disconnect(c *Client) {
	h.mu.Lock()
	if h.nicks[c.Nick] == c {
		delete(h.nicks, c.Nick)
	}
	h.mu.Unlock()
	if r := c.Room(); r != nil {
		r.remove(c)
		c.setRoom(nil)
		h.deliverTo(r, h.systemMessage(r.Name, c.Nick+" quit"))
	}
	h.presence.Forget(c.Nick)
}

// Kick disconnects the client using nick.
func (h *Hub) Kick(nick string) error {
	h.mu.RLock()
	c, ok := h.nicks[nick]
	h.mu.RUnlock()
	if !ok {
		return ErrNoSuchNick
	}
	c.Enqueue(proto.FormatNotice("*", "you were kicked by an operator"))
	c.Close()
	return nil
}
