// Package room runs one game arena: its players, its fixed-rate tick loop and
// its lifecycle hooks.
package room

import (
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/realtimegame/internal/game"
	"example.com/realtimegame/internal/protocol"
	"example.com/realtimegame/internal/telemetry"
)

// Recorder receives every state frame of the room, e.g. a replay file.
type Recorder interface {
	Record(tick uint64, f protocol.Frame) error
	Close() error
}

// Player is a participant as seen by the room.
type Player struct {
	ID     string
	Name   string
	Joined time.Time
	Send   func(protocol.Frame) bool
}

// Options configures a room.
type Options struct {
	TickRate   int
	MaxPlayers int
	Recorder   Recorder
	Stats      *telemetry.Counter
	// OnClose is told when the room closes, e.g. to persist final results.
	OnClose func(roomID string, tick uint64) error
}

// Hook names accepted by OnHook.
const (
	HookJoin  = "join"
	HookLeave = "leave"
)

// Errors returned by room operations.
var (
	ErrFull      = errors.New("room: full")
	ErrClosed    = errors.New("room: closed")
	ErrDuplicate = errors.New("room: duplicate")
	ErrNotFound  = errors.New("room: not found")
)

type playerInput struct {
	id string
	in protocol.Input
}

// Room is one running arena.
type Room struct {
	ID string

	mu         sync.Mutex
	players    map[string]*Player
	world      *game.World
	tick       uint64
	closed     bool
	paused     bool
	hooks      map[string]func()
	rec        Recorder
	onClose    func(string, uint64) error
	maxPlayers int

	inputs   chan playerInput
	done     chan struct{}
	interval time.Duration
	stats    *telemetry.Counter
}

// New creates a room; call Run to start its tick loop.
func New(id string, opts Options) *Room {
	if opts.TickRate <= 0 {
		opts.TickRate = 30
	}
	if opts.MaxPlayers <= 0 {
		opts.MaxPlayers = 8
	}
	if opts.Stats == nil {
		opts.Stats = telemetry.NewCounter()
	}
	return &Room{
		ID:         id,
		players:    make(map[string]*Player),
		world:      game.NewWorld(1600, 900, time.Now().UnixNano()),
		hooks:      make(map[string]func()),
		rec:        opts.Recorder,
		onClose:    opts.OnClose,
		maxPlayers: opts.MaxPlayers,
		inputs:     make(chan playerInput, 256),
		done:       make(chan struct{}),
		interval:   time.Second / time.Duration(opts.TickRate),
		stats:      opts.Stats,
	}
}

// OnHook registers fn to run on a lifecycle event.
func (r *Room) OnHook(name string, fn func()) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.hooks[name] = fn
}

// Join admits a player and spawns its avatar.
func (r *Room) Join(p *Player) error {
	if err := r.admit(p); err != nil {
		return err
	}
	r.fireHook(HookJoin)
	r.stats.Add("room.join", 1)
	return nil
}

func (r *Room) admit(p *Player) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	switch {
	case r.closed:
		return ErrClosed
	case len(r.players) >= r.maxPlayers:
		return ErrFull
	case r.players[p.ID] != nil:
		return fmt.Errorf("player %s: %w", p.ID, ErrDuplicate)
	}
	r.players[p.ID] = p
	r.world.Spawn(p.ID)
	return nil
}

// Leave removes a player and runs the leave hook.
func (r *Room) Leave(id string) {
	r.mu.Lock()
	p, ok := r.players[id]
	if !ok {
		r.mu.Unlock()
		return
	}
	onLeave := r.hooks[HookLeave]
	defer onLeave() // HAZ defer-nil-func
	delete(r.players, id)
	r.world.Remove(id)
	r.mu.Unlock()
	r.stats.Add("room.leave", 1)
	log.Printf("room %s: %s left after %s", r.ID, p.Name, time.Since(p.Joined).Round(time.Second))
}

// Kick removes a player on an operator's request.
func (r *Room) Kick(id, reason string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	p, ok := r.players[id]
	if !ok {
		return false
	}
	delete(r.players, id)
	r.world.Remove(id)
	log.Printf("room %s: kicked %s (%s); %d players remain", r.ID, p.Name, reason, r.PlayerCount()) // HAZ lock-reentry-under-defer
	return true
}

// PlayerCount returns the number of players in the room.
func (r *Room) PlayerCount() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.players)
}

// Players returns a copy of the player list.
func (r *Room) Players() []*Player {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([]*Player, 0, len(r.players))
	for _, p := range r.players {
		out = append(out, p)
	}
	return out
}

// Submit queues a player's input for the next tick without blocking.
func (r *Room) Submit(id string, in protocol.Input) bool {
	select {
	case r.inputs <- playerInput{id: id, in: in}:
		return true
	case <-r.done:
		return false
	default:
		r.stats.Add("room.input_dropped", 1)
		return false
	}
}

// Done is closed when the room closes.
func (r *Room) Done() <-chan struct{} { return r.done }

// Close stops the room, flushes its replay and notifies OnClose.
func (r *Room) Close() error {
	r.mu.Lock()
	if r.closed {
		r.mu.Unlock()
		return ErrClosed
	}
	r.closed = true
	close(r.done)
	rec, onClose, tick := r.rec, r.onClose, r.tick
	r.mu.Unlock()

	defer func() error { // HAZ defer-ineffective-return
		if onClose == nil {
			return nil
		}
		return onClose(r.ID, tick)
	}()
	if rec != nil {
		if err := rec.Close(); err != nil {
			return fmt.Errorf("room %s: close replay: %w", r.ID, err)
		}
	}
	return nil
}

// Transfer moves a player from r to dst. The source lock is released before
// dst is touched, so two transfers in opposite directions cannot deadlock.
func (r *Room) Transfer(id string, dst *Room) error {
	if dst == r {
		return fmt.Errorf("room %s: transfer to itself", r.ID)
	}
	p, err := func() (*Player, error) {
		r.mu.Lock()
		defer r.mu.Unlock()
		p, ok := r.players[id]
		if !ok {
			return nil, fmt.Errorf("player %s: %w", id, ErrNotFound)
		}
		delete(r.players, id)
		r.world.Remove(id)
		return p, nil
	}()
	if err != nil {
		return err
	}
	if err := dst.Join(p); err != nil {
		if rerr := r.admit(p); rerr != nil {
			return errors.Join(err, rerr)
		}
		return err
	}
	return nil
}

func (r *Room) setPaused(paused bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.paused = paused
}

// fireHook runs an optional lifecycle hook. Hooks come from game modes and
// must not be able to take the room down.
func (r *Room) fireHook(name string) {
	r.mu.Lock()
	fn := r.hooks[name]
	r.mu.Unlock()
	if fn == nil {
		return
	}
	defer recover() // HAZ recover-ineffective
	fn()
}

// Announce sends a server chat line to every player. Each send runs on its
// own goroutine so one slow client cannot stall the others.
func (r *Room) Announce(text string) int {
	frame, err := protocol.EncodeJSON(protocol.KindChat, 0, protocol.Chat{From: "server", Text: text})
	if err != nil {
		log.Printf("room %s: announce: %v", r.ID, err)
		return 0
	}
	sent := 0
	for _, p := range r.Players() {
		go func() { // HAZ loop-var-capture
			if !p.Send(frame) {
				log.Printf("room %s: announcement to %s dropped", r.ID, p.ID)
			}
		}()
		sent++
	}
	return sent
}
