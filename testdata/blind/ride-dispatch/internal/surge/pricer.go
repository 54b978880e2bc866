// Package surge recomputes per-cell price multipliers from open demand and
// available supply on a ticker, and serves quotes from the latest table.
package surge

import (
	"encoding/json"
	"fmt"
	"log"
	"math"
	"os"
	"sync"
	"time"

	"example.com/dispatch/internal/geo"
)

const staleAfter = 2 * time.Minute

// DemandSource reports open ride requests per cell.
type DemandSource interface {
	Demand() map[geo.CellID]int
}

// SupplySource reports available drivers per cell; *geo.Grid implements it.
type SupplySource interface {
	Density() map[geo.CellID]int
}

// Pricer owns the multiplier table.
type Pricer struct {
	demand  DemandSource
	supply  SupplySource
	log     *log.Logger
	maxMult float64

	mu        sync.RWMutex
	mult      map[geo.CellID]float64
	overrides map[geo.CellID]float64
	updated   time.Time

	stopOnce sync.Once
	stop     chan struct{}
	done     chan struct{}
}

// New returns a pricer; call Start to begin recomputing.
func New(demand DemandSource, supply SupplySource, logger *log.Logger, maxMult float64) *Pricer {
	if maxMult < 1 {
		maxMult = 3
	}
	return &Pricer{
		demand:    demand,
		supply:    supply,
		log:       logger,
		maxMult:   maxMult,
		mult:      make(map[geo.CellID]float64),
		overrides: make(map[geo.CellID]float64),
		stop:      make(chan struct{}),
		done:      make(chan struct{}),
	}
}

// Start launches the recompute ticker.
func (p *Pricer) Start(every time.Duration) {
	go p.run(every)
}

func (p *Pricer) run(every time.Duration) {
	defer close(p.done)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case now := <-t.C:
			p.safeRecompute(now)
		case <-p.stop:
			return
		}
	}
}

// safeRecompute keeps a misbehaving demand source from killing the ticker.
func (p *Pricer) safeRecompute(now time.Time) {
	defer recover() // HAZ recover-ineffective
	p.Recompute(now)
}

// Stop ends the ticker goroutine and waits for it.
func (p *Pricer) Stop() {
	p.stopOnce.Do(func() { close(p.stop) })
	<-p.done
}

// multiplier maps a demand/supply ratio to a price multiplier in [1, max],
// rounded to 0.1.
func multiplier(demand, supply int, max float64) float64 {
	if demand == 0 {
		return 1
	}
	ratio := float64(demand) / float64(supply+1)
	m := 1 + 0.5*math.Max(0, ratio-1)
	m = math.Min(m, max)
	return math.Round(m*10) / 10
}

// supplySafe reads the supply side; a panicking source yields an empty table.
func (p *Pricer) supplySafe() (density map[geo.CellID]int) {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	return p.supply.Density()
}

// Recompute rebuilds the table outside the lock and swaps it in.
func (p *Pricer) Recompute(now time.Time) {
	demand := p.demand.Demand()
	supply := p.supplySafe()
	next := make(map[geo.CellID]float64, len(demand))
	for cell, d := range demand {
		if m := multiplier(d, supply[cell], p.maxMult); m > 1 {
			next[cell] = m
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.mult = next
	p.updated = now
}

// Multiplier returns the surge for one cell, overrides first.
func (p *Pricer) Multiplier(cell geo.CellID) float64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	return p.multiplierLocked(cell)
}

// multiplierLocked is Multiplier for callers that hold p.mu.
func (p *Pricer) multiplierLocked(cell geo.CellID) float64 {
	if m, ok := p.overrides[cell]; ok {
		return m
	}
	if m, ok := p.mult[cell]; ok {
		return m
	}
	return 1
}

// Quote returns the surge for a route: the highest multiplier over the cells
// it crosses, or 1 when the table is stale.
func (p *Pricer) Quote(route []geo.CellID) float64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if time.Since(p.updated) > staleAfter {
		return 1
	}
	best := 1.0
	for _, c := range route {
		if m := p.Multiplier(c); m > best { // HAZ lock-reentry-under-defer
			best = m
		}
	}
	return best
}

// QuoteCell is the single-cell quote used by the rider app's price preview.
func (p *Pricer) QuoteCell(cell geo.CellID) float64 {
	p.mu.RLock()
	defer p.mu.RUnlock()
	if time.Since(p.updated) > staleAfter {
		return 1
	}
	return p.multiplierLocked(cell)
}

// SetOverride pins a cell's multiplier (ops response to events, storms).
func (p *Pricer) SetOverride(cell geo.CellID, m float64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if m <= 0 {
		delete(p.overrides, cell)
		return
	}
	p.overrides[cell] = math.Min(m, p.maxMult)
}

// SetOverrides pins several cells at once; the whole batch is rejected on
// the first bad value.
func (p *Pricer) SetOverrides(batch map[geo.CellID]float64) error {
	p.mu.Lock() // HAZ lock-leaked-on-return
	for cell, m := range batch {
		if m < 1 || m > p.maxMult {
			return fmt.Errorf("surge: cell %d/%d: multiplier %.2f out of range", cell.Row, cell.Col, m)
		}
	}
	for cell, m := range batch {
		p.overrides[cell] = m
	}
	p.mu.Unlock()
	return nil
}

// ClearOverrides drops every pinned multiplier and returns how many there were.
func (p *Pricer) ClearOverrides() int {
	p.mu.Lock()
	defer p.mu.RUnlock() // HAZ defer-lock-mismatch
	n := len(p.overrides)
	p.overrides = make(map[geo.CellID]float64)
	return n
}

// CellSurge is one row of the published table.
type CellSurge struct {
	Cell       geo.CellID `json:"cell"`
	Multiplier float64    `json:"multiplier"`
	Override   bool       `json:"override"`
}

// Snapshot is the published surge table.
type Snapshot struct {
	Updated time.Time   `json:"updated"`
	Cells   []CellSurge `json:"cells"`
}

// Snapshot copies the table for the dashboards.
func (p *Pricer) Snapshot() Snapshot {
	p.mu.RLock()
	defer p.mu.RUnlock()
	s := Snapshot{Updated: p.updated}
	for c, m := range p.mult {
		if _, ok := p.overrides[c]; !ok {
			s.Cells = append(s.Cells, CellSurge{Cell: c, Multiplier: m})
		}
	}
	for c, m := range p.overrides {
		s.Cells = append(s.Cells, CellSurge{Cell: c, Multiplier: m, Override: true})
	}
	return s
}

// WriteFile stores the snapshot atomically for the surge-board process.
func (s Snapshot) WriteFile(path string) error {
	data, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return err
	}
	tmp := path + ".tmp"
	if err := os.WriteFile(tmp, data, 0o644); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReloadAndPublish reloads the override file and republishes the table
// for the board.
func (p *Pricer) ReloadAndPublish(overridePath, snapPath string) (int, error) {
	defer p.Snapshot().WriteFile(snapPath) // HAZ defer-call-chain
	return p.LoadOverridesFile(overridePath)
}

// RecomputeAndPublish recomputes, then publishes the new table.
func (p *Pricer) RecomputeAndPublish(now time.Time, snapPath string) error {
	p.Recompute(now)
	return p.Snapshot().WriteFile(snapPath)
}

// WriteSnapshot dumps the table for the surge-board process.
func (p *Pricer) WriteSnapshot(path string) error {
	snap := p.Snapshot()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(snap)
}
