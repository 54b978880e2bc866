// Package game holds the deterministic arena simulation that every room runs.
package game

import (
	"math"
	"math/rand"
	"sort"

	"example.com/realtimegame/internal/protocol"
)

// Tuning constants for the arena.
const (
	PlayerSpeed  = 180.0
	PlayerRadius = 12.0
	FireRange    = 140.0
	FireDamage   = 4
	MaxHP        = 100
)

// Vec is a 2D vector in arena units.
type Vec struct{ X, Y float64 }

// Add returns v+o.
func (v Vec) Add(o Vec) Vec { return Vec{v.X + o.X, v.Y + o.Y} }

// Scale returns v*f.
func (v Vec) Scale(f float64) Vec { return Vec{v.X * f, v.Y * f} }

// Len returns the Euclidean length of v.
func (v Vec) Len() float64 { return math.Hypot(v.X, v.Y) }

// Dist returns the distance between v and o.
func (v Vec) Dist(o Vec) float64 { return math.Hypot(v.X-o.X, v.Y-o.Y) }

// Clamp limits x to [lo, hi].
func Clamp(x, lo, hi float64) float64 { return math.Max(lo, math.Min(hi, x)) }

// Entity is a player avatar.
type Entity struct {
	ID     string
	Pos    Vec
	Vel    Vec
	HP     int
	Score  int
	Firing bool
}

// Alive reports whether the entity still has hit points.
func (e *Entity) Alive() bool { return e.HP > 0 }

// World is the state of one arena. It is not safe for concurrent use; the
// owning room serialises access.
type World struct {
	Width, Height float64
	Entities      map[string]*Entity
	rng           *rand.Rand
}

// NewWorld creates an empty arena.
func NewWorld(width, height float64, seed int64) *World {
	return &World{
		Width:    width,
		Height:   height,
		Entities: make(map[string]*Entity),
		rng:      rand.New(rand.NewSource(seed)),
	}
}

// Spawn places a new entity at a random position, or returns the existing one.
func (w *World) Spawn(id string) *Entity {
	if e, ok := w.Entities[id]; ok {
		return e
	}
	e := &Entity{
		ID: id,
		HP: MaxHP,
		Pos: Vec{
			X: PlayerRadius + w.rng.Float64()*(w.Width-2*PlayerRadius),
			Y: PlayerRadius + w.rng.Float64()*(w.Height-2*PlayerRadius),
		},
	}
	w.Entities[id] = e
	return e
}

// Remove deletes an entity.
func (w *World) Remove(id string) { delete(w.Entities, id) }

// ApplyInput updates an entity's velocity and fire state from player input.
func (w *World) ApplyInput(id string, in protocol.Input) {
	e, ok := w.Entities[id]
	if !ok || !e.Alive() {
		return
	}
	dx, dy := in.Direction()
	e.Vel = Vec{dx, dy}.Scale(PlayerSpeed)
	e.Firing = in.Fire
}

// Step advances the simulation by dt seconds.
func (w *World) Step(dt float64) {
	if dt <= 0 {
		return
	}
	if dt > 0.25 {
		// clamp after a stall so nobody tunnels through walls
		dt = 0.25
	}
	for _, e := range w.Entities {
		if !e.Alive() {
			continue
		}
		e.Pos = e.Pos.Add(e.Vel.Scale(dt))
		e.Pos.X = Clamp(e.Pos.X, PlayerRadius, w.Width-PlayerRadius)
		e.Pos.Y = Clamp(e.Pos.Y, PlayerRadius, w.Height-PlayerRadius)
	}
	w.resolveHits()
}

// resolveHits lets every firing entity damage its nearest target in range.
func (w *World) resolveHits() {
	ids := w.sortedIDs()
	for _, id := range ids {
		shooter := w.Entities[id]
		if !shooter.Alive() || !shooter.Firing {
			continue
		}
		var target *Entity
		best := FireRange
		for _, oid := range ids {
			o := w.Entities[oid]
			if oid == id || !o.Alive() {
				continue
			}
			if d := shooter.Pos.Dist(o.Pos); d < best {
				best, target = d, o
			}
		}
		if target == nil {
			continue
		}
		target.HP -= FireDamage
		if target.HP <= 0 {
			target.HP = 0
			shooter.Score++
		}
	}
}

func (w *World) sortedIDs() []string {
	ids := make([]string, 0, len(w.Entities))
	for id := range w.Entities {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}

// Snapshot returns the replicated state, entities ordered by id.
func (w *World) Snapshot(tick uint64) protocol.StateUpdate {
	ids := w.sortedIDs()
	up := protocol.StateUpdate{Tick: tick, Entities: make([]protocol.EntityState, 0, len(ids))}
	for _, id := range ids {
		e := w.Entities[id]
		up.Entities = append(up.Entities, protocol.EntityState{
			ID: e.ID, X: e.Pos.X, Y: e.Pos.Y, VX: e.Vel.X, VY: e.Vel.Y, HP: e.HP, Score: e.Score,
		})
	}
	return up
}

// Living counts the entities that are still alive.
func (w *World) Living() int {
	n := 0
	for _, e := range w.Entities {
		if e.Alive() {
			n++
		}
	}
	return n
}
