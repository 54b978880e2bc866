package game

import (
	"fmt"
	"math"
)

// Shot is a fire input, resolved server-side against the current positions.
type Shot struct {
	Shooter string
	Origin  Vec2
	Dir     Vec2 // unit vector
}

// Kill is a confirmed elimination.
type Kill struct {
	Killer, Victim string
}

const (
	weaponRange = 40.0
	hitRadius   = 1.5
	shotDamage  = 25
)

// hitTest returns the nearest living player on the shot's ray.
func (m *Match) hitTest(s Shot) (string, bool) {
	m.mu.RLock()
	defer m.mu.RUnlock()
	best, bestDist := "", weaponRange
	for id, p := range m.state.Players {
		if id == s.Shooter || p.HP <= 0 {
			continue
		}
		dx, dy := p.Pos.X-s.Origin.X, p.Pos.Y-s.Origin.Y
		t := dx*s.Dir.X + dy*s.Dir.Y
		if t < 0 || t > bestDist {
			continue
		}
		px, py := s.Origin.X+s.Dir.X*t, s.Origin.Y+s.Dir.Y*t
		if math.Hypot(p.Pos.X-px, p.Pos.Y-py) <= hitRadius {
			best, bestDist = id, t
		}
	}
	return best, best != ""
}

// ApplyDamage subtracts dmg from the victim's HP and reports whether the
// victim died.
func (m *Match) ApplyDamage(victim string, dmg int) bool {
	m.mu.Lock() // HAZ lock-leaked-on-return
	p, ok := m.state.Players[victim]
	if !ok {
		panic("game: damage to unknown player " + victim)
	}
	if dmg < 0 {
		dmg = 0
	}
	p.HP -= dmg
	dead := p.HP <= 0
	if dead {
		p.HP = 0
	}
	m.mu.Unlock()
	return dead
}

// ResolveShots applies a tick's worth of shots and returns the kills.
func (m *Match) ResolveShots(shots []Shot) []Kill {
	var kills []Kill
	for _, s := range shots {
		victim, hit := m.hitTest(s)
		if !hit {
			continue
		}
		if m.ApplyDamage(victim, shotDamage) {
			kills = append(kills, Kill{Killer: s.Shooter, Victim: victim})
		}
	}
	for _, k := range kills {
		m.addScore(k.Killer, 100)
	}
	return kills
}

// Respawn brings a dead player back at a spawn point.
func (m *Match) Respawn(player string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	p, ok := m.state.Players[player]
	if !ok {
		return fmt.Errorf("game: respawn of unknown player %s", player)
	}
	if p.HP > 0 {
		return nil
	}
	p.HP = 100
	p.Pos = spawnPoint(int(m.state.Tick % 8))
	p.Vel = Vec2{}
	return nil
}
