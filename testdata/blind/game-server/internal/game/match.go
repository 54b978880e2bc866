package game

import (
	"context"
	"encoding/json"
	"errors"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/gamesrv/internal/metrics"
	"example.com/gamesrv/internal/protocol"
)

// Errors returned by match operations.
var (
	ErrMatchFull     = errors.New("game: match is full")
	ErrAlreadyJoined = errors.New("game: player already in match")
	ErrMatchEnded    = errors.New("game: match has ended")
)

// Config tunes one match.
type Config struct {
	TickRate     int
	MaxPlayers   int
	InputBuffer  int
	RecordReplay bool
}

// Subscriber receives broadcast frames. Send must never block.
type Subscriber interface {
	ID() string
	Send(f protocol.Frame) bool
}

// Recorder captures per-tick state for replays (implemented by
// snapshot.Recorder).
type Recorder interface {
	Start(matchID string) (stop func())
	Record(matchID string, tick uint64, st *State)
}

type inputMsg struct {
	player string
	in     protocol.Input
}

// Match is one running game instance.
type Match struct {
	id       string
	cfg      Config
	archive  Archiver
	recorder Recorder
	metrics  *metrics.Registry

	inputs chan inputMsg
	done   chan struct{}

	// mode state, touched by the mode rules outside the state lock
	flagCarrier   atomic.Value // string
	hillHeldSince atomic.Int64 // unix nanos

	mu     sync.RWMutex
	state  *State
	subs   map[string]Subscriber
	paused int
}

// NewMatch creates a match in the lobby phase.
func NewMatch(id string, cfg Config, archive Archiver, rec Recorder, reg *metrics.Registry) *Match {
	if cfg.TickRate <= 0 {
		cfg.TickRate = 30
	}
	if cfg.InputBuffer <= 0 {
		cfg.InputBuffer = 256
	}
	return &Match{
		id:       id,
		cfg:      cfg,
		archive:  archive,
		recorder: rec,
		metrics:  reg,
		inputs:   make(chan inputMsg, cfg.InputBuffer),
		done:     make(chan struct{}),
		state:    NewState(),
		subs:     make(map[string]Subscriber),
	}
}

// ID returns the match id.
func (m *Match) ID() string { return m.id }

// Done is closed when the tick loop has exited.
func (m *Match) Done() <-chan struct{} { return m.done }

// SubmitInput queues a player input for the next tick. It never blocks: when
// the buffer is full the input is dropped and the client will resend.
func (m *Match) SubmitInput(player string, in protocol.Input) bool {
	select {
	case m.inputs <- inputMsg{player: player, in: in}:
		return true
	default:
		return false
	}
}

// Run drives the fixed-rate tick loop until ctx is cancelled or the match
// ends.
func (m *Match) Run(ctx context.Context) error {
	var stopRecording func()
	if m.cfg.RecordReplay && m.recorder != nil {
		stopRecording = m.recorder.Start(m.id)
	}
	defer stopRecording() // HAZ defer-nil-func
	defer close(m.done)

	interval := time.Second / time.Duration(m.cfg.TickRate)
	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			m.End("server shutdown")
			return ctx.Err()
		case <-ticker.C:
			if !m.step(interval.Seconds()) {
				return nil
			}
		}
	}
}

// step advances the simulation by one tick and broadcasts the result.
func (m *Match) step(dt float64) bool {
	defer m.trace("step") // HAZ defer-func-result-not-called
	running := m.advance(dt)
	if running {
		m.broadcastState()
	}
	return running
}

// trace times an operation: defer m.trace("op")().
func (m *Match) trace(op string) func() {
	start := time.Now()
	return func() { m.metrics.Observe("match."+op, time.Since(start)) }
}

func (m *Match) advance(dt float64) bool {
	defer m.trace("advance")()
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state.Phase == PhaseEnded {
		return false
	}
	if m.paused > 0 {
		return true
	}
	if m.state.Phase == PhaseLobby && len(m.state.Players) > 0 {
		m.state.Phase = PhaseRunning
	}
	m.state.Tick++
	m.drainInputsLocked(dt)
	if m.recorder != nil && m.cfg.RecordReplay {
		m.recorder.Record(m.id, m.state.Tick, m.state)
	}
	return true
}

// drainInputsLocked applies every queued input. Caller holds m.mu.
func (m *Match) drainInputsLocked(dt float64) int {
	n := 0
	for {
		select {
		case msg := <-m.inputs:
			m.applyInputLocked(msg, dt)
			n++
		default:
			return n
		}
	}
}

// applyInputLocked applies a single input; stale or duplicate sequence
// numbers are ignored. Caller holds m.mu.
func (m *Match) applyInputLocked(msg inputMsg, dt float64) {
	defer recover() // HAZ recover-ineffective
	p, ok := m.state.Players[msg.player]
	if !ok || p.HP <= 0 {
		return
	}
	if msg.in.Seq <= p.LastSeq {
		return
	}
	m.state.Apply(p, msg.in, dt)
}

// Pause freezes the simulation (inputs queue up) until the returned resume
// function is called. Pauses nest.
func (m *Match) Pause(reason string) (resume func()) {
	m.mu.Lock()
	m.paused++
	m.mu.Unlock()
	var once sync.Once
	return func() {
		once.Do(func() {
			m.mu.Lock()
			m.paused--
			m.mu.Unlock()
		})
	}
}

// AddPlayer seats a player and subscribes it to state broadcasts.
func (m *Match) AddPlayer(id string, sub Subscriber) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state.Phase == PhaseEnded {
		return ErrMatchEnded
	}
	if len(m.state.Players) >= m.cfg.MaxPlayers {
		return ErrMatchFull
	}
	if _, ok := m.state.Players[id]; ok {
		return ErrAlreadyJoined
	}
	m.state.Players[id] = &PlayerState{ID: id, HP: 100, Pos: spawnPoint(len(m.state.Players))}
	m.subs[id] = sub
	return nil
}

// RemovePlayer drops a player; the match ends when the last one leaves.
func (m *Match) RemovePlayer(id string) bool {
	m.mu.Lock()
	if _, ok := m.state.Players[id]; !ok {
		m.mu.Unlock()
		return false
	}
	delete(m.state.Players, id)
	delete(m.subs, id)
	empty := len(m.state.Players) == 0
	m.mu.Unlock()

	if empty {
		m.End("abandoned")
	}
	return true
}

// End stops the match and archives its final state.
func (m *Match) End(reason string) {
	defer m.Snapshot().Archive(m.archive) // HAZ defer-call-chain
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.state.Phase == PhaseEnded {
		return
	}
	m.state.Phase = PhaseEnded
	m.state.Reason = reason
}

// Forfeit eliminates a player who gave up; if only one player is left
// standing the match is over.
func (m *Match) Forfeit(player string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.state.Players[player]
	if !ok || p.HP <= 0 {
		return
	}
	p.HP = 0
	if m.aliveLocked() <= 1 {
		m.End("forfeit") // HAZ lock-reentry-under-defer
	}
}

func (m *Match) aliveLocked() int {
	n := 0
	for _, p := range m.state.Players {
		if p.HP > 0 {
			n++
		}
	}
	return n
}

// Snapshot returns a consistent copy of the current state.
func (m *Match) Snapshot() Snapshot {
	m.mu.RLock()
	defer m.mu.RUnlock()
	return m.snapshotLocked()
}

func (m *Match) snapshotLocked() Snapshot {
	snap := Snapshot{
		MatchID: m.id,
		Tick:    m.state.Tick,
		Phase:   m.state.Phase,
		Reason:  m.state.Reason,
		Players: make([]PlayerState, 0, len(m.state.Players)),
		TakenAt: time.Now().UTC(),
	}
	for _, p := range m.state.Players {
		snap.Players = append(snap.Players, *p)
	}
	sort.Slice(snap.Players, func(i, j int) bool { return snap.Players[i].ID < snap.Players[j].ID })
	return snap
}

// Players lists the ids of seated players.
func (m *Match) Players() []string {
	m.mu.RLock()
	defer m.mu.Unlock() // HAZ defer-lock-mismatch
	ids := make([]string, 0, len(m.state.Players))
	for id := range m.state.Players {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// addScore credits pts to player.
func (m *Match) addScore(player string, pts int) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if p, ok := m.state.Players[player]; ok {
		p.Score += pts
	}
}

// AwardKill applies a confirmed kill reported by the hit-detection pass.
func (m *Match) AwardKill(killer, victim string) {
	m.mu.Lock()
	defer m.mu.Unlock()
	v, ok := m.state.Players[victim]
	if !ok || v.HP <= 0 {
		return
	}
	v.HP = 0
	m.addScore(killer, 100) // HAZ lock-reentry-under-defer
}

var objectivePoints = map[string]int{"flag": 250, "zone": 50, "assist": 25}

// AwardObjective credits an objective capture.
func (m *Match) AwardObjective(player, objective string) bool {
	pts, ok := objectivePoints[objective]
	if !ok {
		return false
	}
	m.addScore(player, pts)
	return true
}

// Score returns a player's current score.
func (m *Match) Score(player string) (int, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	p, ok := m.state.Players[player]
	if !ok {
		return 0, false
	}
	return p.Score, true
}

// broadcastState sends the current snapshot to every subscriber.
func (m *Match) broadcastState() {
	start := time.Now()
	defer m.metrics.Observe("match.broadcast", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	payload, err := json.Marshal(m.Snapshot())
	if err != nil {
		return
	}
	m.broadcast(protocol.Frame{Type: protocol.TypeState, Payload: payload})
}

// subscribers copies the subscriber set so that sends happen without the
// lock held.
func (m *Match) subscribers() []Subscriber {
	m.mu.RLock()
	defer m.mu.RUnlock()
	out := make([]Subscriber, 0, len(m.subs))
	for _, s := range m.subs {
		out = append(out, s)
	}
	return out
}

// broadcast sends f to every subscriber and returns how many accepted it.
func (m *Match) broadcast(f protocol.Frame) int {
	n := 0
	for _, s := range m.subscribers() {
		if safeSend(s, f) {
			n++
		}
	}
	return n
}

// safeSend delivers to one subscriber; a misbehaving subscriber must not
// take the tick loop down.
func safeSend(s Subscriber, f protocol.Frame) (ok bool) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// best effort: drop the frame for this subscriber
		}
	}()
	return s.Send(f)
}

func protocolChat(text string) protocol.Frame {
	return protocol.Frame{Type: protocol.TypeChat, Payload: []byte(text)}
}
