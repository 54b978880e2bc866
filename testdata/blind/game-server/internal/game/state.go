// Package game holds the authoritative simulation: per-match state advanced
// by a fixed-rate tick loop, and the registry of live matches.
package game

import (
	"math"

	"example.com/gamesrv/internal/protocol"
)

const (
	arenaSize = 100.0
	maxSpeed  = 12.0 // units per second
)

// Vec2 is a 2D vector in arena units.
type Vec2 struct{ X, Y float64 }

// Phase is the lifecycle stage of a match.
type Phase int

// Match phases.
const (
	PhaseLobby Phase = iota
	PhaseRunning
	PhaseEnded
)

// PlayerState is the server's authoritative view of one player.
type PlayerState struct {
	ID      string `json:"id"`
	Pos     Vec2   `json:"pos"`
	Vel     Vec2   `json:"vel"`
	HP      int    `json:"hp"`
	Score   int    `json:"score"`
	LastSeq uint32 `json:"last_seq"`
}

// State is the mutable simulation state of a match. It is owned by the
// match and must only be touched with the match's mutex held.
type State struct {
	Tick    uint64
	Phase   Phase
	Reason  string
	Players map[string]*PlayerState
}

// NewState returns an empty lobby state.
func NewState() *State {
	return &State{Phase: PhaseLobby, Players: make(map[string]*PlayerState)}
}

// Apply integrates one input for p over dt seconds.
func (s *State) Apply(p *PlayerState, in protocol.Input, dt float64) {
	dx, dy := in.DX, in.DY
	if l := math.Hypot(dx, dy); l > 1 {
		dx, dy = dx/l, dy/l
	}
	p.Vel = Vec2{dx * maxSpeed, dy * maxSpeed}
	p.Pos = clampArena(Vec2{p.Pos.X + p.Vel.X*dt, p.Pos.Y + p.Vel.Y*dt})
	p.LastSeq = in.Seq
}

func clampArena(v Vec2) Vec2 {
	return Vec2{math.Max(0, math.Min(arenaSize, v.X)), math.Max(0, math.Min(arenaSize, v.Y))}
}

// spawnPoint spreads players around the arena border.
func spawnPoint(n int) Vec2 {
	angle := float64(n) * (math.Pi / 4)
	r := arenaSize * 0.4
	return clampArena(Vec2{arenaSize/2 + r*math.Cos(angle), arenaSize/2 + r*math.Sin(angle)})
}
