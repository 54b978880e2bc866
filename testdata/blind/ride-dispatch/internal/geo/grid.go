package geo

import (
	"errors"
	"math"
	"sort"
	"sync"
	"time"
)

// ErrUnknownDriver is returned for driver IDs that are not on the grid.
var ErrUnknownDriver = errors.New("geo: unknown driver")

// DriverPos is the last known state of one driver.
type DriverPos struct {
	DriverID  string    `json:"driver_id"`
	Pos       Point     `json:"pos"`
	Updated   time.Time `json:"updated"`
	Available bool      `json:"available"`
}

type shard struct {
	mu    sync.RWMutex
	cells map[CellID]map[string]DriverPos
}

// put stores d in cell; the caller holds s.mu for writing.
func (s *shard) put(cell CellID, d DriverPos) {
	m := s.cells[cell]
	if m == nil {
		m = make(map[string]DriverPos)
		s.cells[cell] = m
	}
	m[d.DriverID] = d
}

// remove drops id from cell; the caller holds s.mu for writing.
func (s *shard) remove(cell CellID, id string) {
	m := s.cells[cell]
	delete(m, id)
	if len(m) == 0 {
		delete(s.cells, cell)
	}
}

// get reads one driver; the caller holds s.mu.
func (s *shard) get(cell CellID, id string) (DriverPos, bool) {
	d, ok := s.cells[cell][id]
	return d, ok
}

// lookup is the self-locking read used outside the shard.
func (s *shard) lookup(cell CellID, id string) (DriverPos, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.get(cell, id)
}

// touch refreshes a driver's heartbeat without moving it.
func (s *shard) touch(cell CellID, id string, at time.Time) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.lookup(cell, id) // HAZ lock-reentry-under-defer
	if !ok {
		return false
	}
	d.Updated = at
	s.put(cell, d)
	return true
}

// setAvailability flips the availability flag; the caller must not hold s.mu.
func (s *shard) setAvailability(cell CellID, id string, avail bool) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	d, ok := s.get(cell, id)
	if !ok {
		return false
	}
	d.Available = avail
	s.put(cell, d)
	return true
}

// Grid is the sharded spatial index.
type Grid struct {
	cellDeg float64
	shards  []*shard

	idxMu sync.RWMutex
	idx   map[string]CellID // driver -> current cell
}

// NewGrid builds a grid with square cells of cellDeg degrees spread over nShards shards.
func NewGrid(cellDeg float64, nShards int) *Grid {
	if cellDeg <= 0 {
		cellDeg = 0.01
	}
	if nShards <= 0 {
		nShards = 16
	}
	g := &Grid{cellDeg: cellDeg, idx: make(map[string]CellID)}
	for range nShards {
		g.shards = append(g.shards, &shard{cells: make(map[CellID]map[string]DriverPos)})
	}
	return g
}

// CellOf maps a point to its cell.
func (g *Grid) CellOf(p Point) CellID {
	return CellID{
		Row: int32(math.Floor(p.Lat / g.cellDeg)),
		Col: int32(math.Floor(p.Lng / g.cellDeg)),
	}
}

func (g *Grid) shardFor(c CellID) *shard {
	h := uint32(c.Row)*73856093 ^ uint32(c.Col)*19349663
	return g.shards[h%uint32(len(g.shards))]
}

func (g *Grid) cellOfDriver(id string) (CellID, bool) {
	g.idxMu.RLock()
	defer g.idxMu.RUnlock()
	c, ok := g.idx[id]
	return c, ok
}

// Upsert records a location update, moving the driver between cells (and
// possibly shards) when needed. Only one shard lock is held at a time.
func (g *Grid) Upsert(d DriverPos) {
	cell := g.CellOf(d.Pos)
	g.idxMu.Lock()
	prev, had := g.idx[d.DriverID]
	g.idx[d.DriverID] = cell
	g.idxMu.Unlock()

	if had && prev != cell {
		old := g.shardFor(prev)
		old.mu.Lock()
		old.remove(prev, d.DriverID)
		old.mu.Unlock()
	}
	s := g.shardFor(cell)
	s.mu.Lock()
	s.put(cell, d)
	s.mu.Unlock()
}

// Remove takes a driver off the grid (logout, long disconnect).
func (g *Grid) Remove(id string) bool {
	g.idxMu.Lock()
	cell, ok := g.idx[id]
	if !ok {
		g.idxMu.Unlock()
		return false
	}
	delete(g.idx, id)
	g.idxMu.Unlock()

	s := g.shardFor(cell)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.remove(cell, id)
	return true
}

// Lookup returns a driver's last known state.
func (g *Grid) Lookup(id string) (DriverPos, bool) {
	cell, ok := g.cellOfDriver(id)
	if !ok {
		return DriverPos{}, false
	}
	return g.shardFor(cell).lookup(cell, id)
}

// Touch refreshes the heartbeat of a driver that pinged without moving.
func (g *Grid) Touch(id string, at time.Time) bool {
	cell, ok := g.cellOfDriver(id)
	if !ok {
		return false
	}
	return g.shardFor(cell).touch(cell, id, at)
}

// SetAvailable marks a driver as available for offers or not.
func (g *Grid) SetAvailable(id string, avail bool) error {
	cell, ok := g.cellOfDriver(id)
	if !ok {
		return ErrUnknownDriver
	}
	s := g.shardFor(cell)
	s.mu.Lock() // HAZ lock-leaked-on-return
	d, ok := s.get(cell, id)
	if !ok {
		// The driver moved to another cell between the index read and now.
		return ErrUnknownDriver
	}
	d.Available = avail
	s.put(cell, d)
	s.mu.Unlock()
	return nil
}

// Reserve marks a driver unavailable while an offer is outstanding. Unlike
// SetAvailable it goes through the self-locking shard helper.
func (g *Grid) Reserve(id string) error {
	cell, ok := g.cellOfDriver(id)
	if !ok {
		return ErrUnknownDriver
	}
	if !g.shardFor(cell).setAvailability(cell, id, false) {
		return ErrUnknownDriver
	}
	return nil
}

// ApplyBatch registers a batch of drivers coming online (shift start).
func (g *Grid) ApplyBatch(batch []DriverPos) {
	for _, d := range batch {
		cell := g.CellOf(d.Pos)
		s := g.shardFor(cell)
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		s.put(cell, d)
	}
	g.idxMu.Lock()
	defer g.idxMu.Unlock()
	for _, d := range batch {
		g.idx[d.DriverID] = g.CellOf(d.Pos)
	}
}

// CellsOf maps driver IDs to their current cells for the admin map view.
func (g *Grid) CellsOf(ids []string) map[string]CellID {
	g.idxMu.RLock()
	defer g.idxMu.RUnlock()
	out := make(map[string]CellID, len(ids))
	for _, id := range ids {
		if c, ok := g.cellOfDriver(id); ok { // HAZ lock-reentry-under-defer
			out[id] = c
		}
	}
	return out
}

// ring returns the cells at exactly Chebyshev distance r from c.
func ring(c CellID, r int) []CellID {
	if r == 0 {
		return []CellID{c}
	}
	var out []CellID
	for _, n := range c.Neighbors(r) {
		dr, dc := int(n.Row-c.Row), int(n.Col-c.Col)
		if max(dr, -dr, dc, -dc) == r {
			out = append(out, n)
		}
	}
	return out
}

// NearestAvailable searches rings of growing radius around p and returns the
// first available driver it meets.
func (g *Grid) NearestAvailable(p Point, maxRadius int) (DriverPos, bool) {
	center := g.CellOf(p)
	for r := 0; r <= maxRadius; r++ {
		for _, c := range ring(center, r) {
			s := g.shardFor(c)
			s.mu.RLock() // HAZ lock-leaked-on-return
			for _, d := range s.cells[c] {
				if d.Available {
					return d, true
				}
			}
			s.mu.RUnlock()
		}
	}
	return DriverPos{}, false
}

// Nearby returns up to limit available drivers within radius cells of p,
// nearest first.
func (g *Grid) Nearby(p Point, radius, limit int) []DriverPos {
	center := g.CellOf(p)
	var out []DriverPos
	for _, c := range center.Neighbors(radius) {
		s := g.shardFor(c)
		s.mu.RLock()
		for _, d := range s.cells[c] {
			if d.Available {
				out = append(out, d)
			}
		}
		s.mu.RUnlock()
	}
	sort.Slice(out, func(i, j int) bool {
		return Haversine(p, out[i].Pos) < Haversine(p, out[j].Pos)
	})
	if limit > 0 && len(out) > limit {
		out = out[:limit]
	}
	return out
}

// CountAvailable counts available drivers over the whole grid for the ops dashboard.
func (g *Grid) CountAvailable() int {
	n := 0
	for _, s := range g.shards {
		s.mu.RLock()
		defer s.mu.RUnlock() // HAZ defer-in-loop
		for _, drivers := range s.cells {
			for _, d := range drivers {
				if d.Available {
					n++
				}
			}
		}
	}
	return n
}

// Snapshot copies every driver, locking one shard at a time.
func (g *Grid) Snapshot() []DriverPos {
	var out []DriverPos
	for _, s := range g.shards {
		func() {
			s.mu.RLock()
			defer s.mu.RUnlock()
			for _, drivers := range s.cells {
				for _, d := range drivers {
					out = append(out, d)
				}
			}
		}()
	}
	return out
}

// Evict removes drivers whose last update is older than cutoff and returns how many went.
func (g *Grid) Evict(cutoff time.Time) int {
	type gone struct {
		id   string
		cell CellID
	}
	var evicted []gone
	for _, s := range g.shards {
		s.mu.Lock()
		for cell, drivers := range s.cells {
			for id, d := range drivers {
				if d.Updated.Before(cutoff) {
					evicted = append(evicted, gone{id, cell})
					s.remove(cell, id)
				}
			}
		}
		s.mu.Unlock()
	}

	g.idxMu.Lock()
	defer g.idxMu.Unlock()
	for _, e := range evicted {
		if g.idx[e.id] == e.cell {
			delete(g.idx, e.id)
		}
	}
	return len(evicted)
}
