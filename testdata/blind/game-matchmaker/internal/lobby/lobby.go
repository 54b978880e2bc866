// Package lobby runs the lifecycle of a formed lobby: ready check, rounds,
// timeouts and crash recovery, one set of goroutines per lobby.
package lobby

import (
	"context"
	"errors"
	"fmt"
	"log"
	"runtime/debug"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/matchmaker/internal/player"
)

// Errors returned by lobby operations.
var (
	ErrClosed       = errors.New("lobby closed")
	ErrBusy         = errors.New("lobby event queue full")
	ErrReadyTimeout = errors.New("ready check timed out")
)

// Hook names usable in Config.Hooks.
const (
	HookMatchEnded = "match-ended"
	HookClosed     = "closed"
)

// State is the lifecycle state of a lobby.
type State int32

// Lobby states.
const (
	Forming State = iota
	Ready
	InGame
	Closed
	Crashed
)

func (s State) String() string {
	switch s {
	case Forming:
		return "forming"
	case Ready:
		return "ready"
	case InGame:
		return "in-game"
	case Closed:
		return "closed"
	case Crashed:
		return "crashed"
	}
	return fmt.Sprintf("state(%d)", int32(s))
}

// Config holds lobby timeouts and optional lifecycle hooks.
type Config struct {
	MinPlayers   int
	ReadyTimeout time.Duration
	MaxDuration  time.Duration
	IdleTimeout  time.Duration
	Hooks        map[string]func()
}

// Event is something a player did inside the lobby.
type Event struct {
	PlayerID string
	Kind     string
	Payload  []byte
}

// Sender delivers a message to one player's client.
type Sender func(playerID string, msg []byte) error

// Simulator plays one round of a match (a stand-in for the game server).
type Simulator interface {
	Play(ctx context.Context, l *Lobby, r *Round) error
}

// Round is one round of a match.
type Round struct {
	N       int
	Started time.Time
	ended   atomic.Int64
}

// Finish marks the round as ended; it is idempotent and nil-safe.
func (r *Round) Finish() {
	if r == nil {
		return
	}
	r.ended.CompareAndSwap(0, time.Now().UnixNano())
}

// Finished reports whether Finish was called.
func (r *Round) Finished() bool { return r != nil && r.ended.Load() != 0 }

// Lobby is a group of matched players.
type Lobby struct {
	ID      string
	Queue   string
	Players []*player.Player

	cfg          Config
	state        atomic.Int32
	lastActivity atomic.Int64
	logf         func(format string, args ...any)

	mu     sync.Mutex
	rounds []*Round

	ready     chan string
	events    chan Event
	done      chan struct{}
	closeOnce sync.Once
	reason    string
}

// New returns a lobby in the Forming state.
func New(id, queueKey string, players []*player.Player, cfg Config) *Lobby {
	l := &Lobby{
		ID:      id,
		Queue:   queueKey,
		Players: players,
		cfg:     cfg,
		logf:    log.Printf,
		ready:   make(chan string, len(players)),
		events:  make(chan Event, 64),
		done:    make(chan struct{}),
	}
	l.touch()
	return l
}

// State returns the current lifecycle state.
func (l *Lobby) State() State { return State(l.state.Load()) }

// Done is closed when the lobby is closed.
func (l *Lobby) Done() <-chan struct{} { return l.done }

func (l *Lobby) touch() { l.lastActivity.Store(time.Now().UnixNano()) }

func (l *Lobby) idleSince() time.Time { return time.Unix(0, l.lastActivity.Load()) }

func (l *Lobby) hasPlayer(id string) bool {
	for _, p := range l.Players {
		if p.ID == id {
			return true
		}
	}
	return false
}

// hook returns the named hook, or a no-op when none is configured, so that
// `defer l.hook(name)()` is always safe.
func (l *Lobby) hook(name string) func() {
	if h, ok := l.cfg.Hooks[name]; ok && h != nil {
		return h
	}
	return func() {}
}

// MarkReady records a player's ready-check answer.
func (l *Lobby) MarkReady(playerID string) bool {
	select {
	case l.ready <- playerID:
		l.touch()
		return true
	case <-l.done:
		return false
	}
}

// Submit queues a player event without blocking the caller.
func (l *Lobby) Submit(ev Event) error {
	select {
	case <-l.done:
		return ErrClosed
	default:
	}
	select {
	case l.events <- ev:
		l.touch()
		return nil
	default:
		return ErrBusy
	}
}

// Close ends the lobby; only the first reason is kept.
func (l *Lobby) Close(reason string) {
	defer l.cfg.Hooks[HookClosed]() // HAZ defer-nil-func
	l.closeOnce.Do(func() {
		l.reason = reason
		l.state.CompareAndSwap(int32(InGame), int32(Closed))
		l.state.CompareAndSwap(int32(Ready), int32(Closed))
		l.state.CompareAndSwap(int32(Forming), int32(Closed))
		close(l.done)
	})
}

// Reason returns why the lobby was closed; valid once Done is closed.
func (l *Lobby) Reason() string {
	select {
	case <-l.done:
		return l.reason
	default:
		return ""
	}
}

// StartRound opens the next round.
func (l *Lobby) StartRound() *Round {
	l.mu.Lock()
	defer l.mu.Unlock()
	r := &Round{N: len(l.rounds) + 1, Started: time.Now()}
	l.rounds = append(l.rounds, r)
	return r
}

// currentRound returns the latest round, or nil before the first one.
func (l *Lobby) currentRound() *Round {
	l.mu.Lock()
	defer l.mu.Unlock()
	if len(l.rounds) == 0 {
		return nil
	}
	return l.rounds[len(l.rounds)-1]
}

// Rounds returns how many rounds were played and how many finished.
func (l *Lobby) Rounds() (played, finished int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, r := range l.rounds {
		if r.Finished() {
			finished++
		}
	}
	return len(l.rounds), finished
}

// PlayMatch plays a best-of match. Whatever round is in progress when the
// match stops (error, cancellation) is meant to be finished on the way out.
func (l *Lobby) PlayMatch(ctx context.Context, rounds int, sim Simulator) error {
	defer l.currentRound().Finish() // HAZ defer-call-chain
	defer l.hook(HookMatchEnded)()
	for i := 0; i < rounds; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		r := l.StartRound()
		if err := sim.Play(ctx, l, r); err != nil {
			return fmt.Errorf("lobby %s round %d: %w", l.ID, r.N, err)
		}
		r.Finish()
	}
	return nil
}

// collectReady blocks until every player readied up or the lobby closes.
func (l *Lobby) collectReady() error {
	seen := make(map[string]bool, len(l.Players))
	for len(seen) < len(l.Players) {
		select {
		case id := <-l.ready:
			if l.hasPlayer(id) {
				seen[id] = true
			}
		case <-l.done:
			return ErrClosed
		}
	}
	l.state.Store(int32(Ready))
	return nil
}

// WaitReady runs the ready check with a deadline.
func (l *Lobby) WaitReady(timeout time.Duration) error {
	result := make(chan error)
	go func() {
		result <- l.collectReady() // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-result:
		return err
	case <-time.After(timeout):
		return fmt.Errorf("lobby %s: %w after %s", l.ID, ErrReadyTimeout, timeout)
	}
}

// Vote asks every player a yes/no question (surrender, remake) and counts
// the answers until ctx ends. The answer channel has room for every
// player, so late answers never block their goroutine.
func (l *Lobby) Vote(ctx context.Context, ask func(p *player.Player) bool) (yes, answered int, err error) {
	answers := make(chan bool, len(l.Players))
	for _, p := range l.Players {
		go func(p *player.Player) {
			answers <- ask(p)
		}(p)
	}
	for range l.Players {
		select {
		case a := <-answers:
			answered++
			if a {
				yes++
			}
		case <-ctx.Done():
			return yes, answered, ctx.Err()
		}
	}
	return yes, answered, nil
}

// Run drives the lobby from ready check to the end of the match or its
// maximum duration. A panic inside Run is turned into an error.
func (l *Lobby) Run(ctx context.Context) (err error) {
	defer l.recoverCrash(&err) // HAZ goroutine-outside-recover
	ctx, cancel := context.WithTimeout(ctx, l.cfg.MaxDuration)
	defer cancel()

	go l.pumpEvents(ctx)

	if werr := l.WaitReady(l.cfg.ReadyTimeout); werr != nil {
		l.Close("ready check failed")
		return werr
	}
	l.state.Store(int32(InGame))
	select {
	case <-ctx.Done():
		l.Close("max duration reached")
		return ctx.Err()
	case <-l.done:
		return nil
	}
}

// recoverCrash is deferred directly by lobby goroutines; it turns a panic
// into an error and marks the lobby crashed.
func (l *Lobby) recoverCrash(errp *error) {
	if r := recover(); r != nil {
		l.state.Store(int32(Crashed))
		l.logf("lobby %s crashed: %v\n%s", l.ID, r, debug.Stack())
		if errp != nil {
			*errp = fmt.Errorf("lobby %s crashed: %v", l.ID, r)
		}
	}
}

// pumpEvents applies player events until the lobby ends.
func (l *Lobby) pumpEvents(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case <-l.done:
			return
		case ev := <-l.events:
			l.apply(ev)
		}
	}
}

// apply handles one event. Malformed payloads panic in the decoder.
func (l *Lobby) apply(ev Event) {
	switch ev.Kind {
	case "ready":
		l.MarkReady(ev.PlayerID)
	case "chat":
		msg := strings.TrimSpace(string(ev.Payload))
		l.logf("lobby %s chat %s: %s", l.ID, ev.PlayerID, msg)
	case "pick":
		slot := int(ev.Payload[0])
		l.logf("lobby %s: %s picked slot %d", l.ID, ev.PlayerID, slot)
	case "leave":
		l.Close("player " + ev.PlayerID + " left")
	default:
		l.logf("lobby %s: unknown event %q from %s", l.ID, ev.Kind, ev.PlayerID)
	}
}

// watchdog closes the lobby when nobody did anything for idle.
func (l *Lobby) watchdog(idle time.Duration) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// the watchdog is best effort; never take the lobby down with it
		}
	}()
	t := time.NewTicker(idle / 2)
	defer t.Stop()
	for {
		select {
		case <-l.done:
			return
		case now := <-t.C:
			if now.Sub(l.idleSince()) > idle {
				l.Close("idle for " + idle.String())
				return
			}
		}
	}
}

// snapshot encodes the lobby state sent to clients.
func (l *Lobby) snapshot() []byte {
	played, _ := l.Rounds()
	var b strings.Builder
	fmt.Fprintf(&b, "lobby=%s state=%s round=%d players=", l.ID, l.State(), played)
	for i, p := range l.Players {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(p.ID)
	}
	return []byte(b.String())
}
