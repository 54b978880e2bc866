package geo

import (
	"context"
	"fmt"
	"sync"
	"time"
)

// each calls fn for every driver of the shard under its read lock.
func (s *shard) each(fn func(DriverPos)) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, drivers := range s.cells {
		for _, d := range drivers {
			fn(d)
		}
	}
}

// availableByCell counts available drivers per cell of the shard.
func (s *shard) availableByCell() map[CellID]int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(map[CellID]int, len(s.cells))
	for cell, drivers := range s.cells {
		for _, d := range drivers {
			if d.Available {
				out[cell]++
			}
		}
	}
	return out
}

// updatedSince copies the drivers of the shard updated after t.
func (s *shard) updatedSince(t time.Time) []DriverPos {
	s.mu.RLock()
	defer s.mu.RUnlock()
	var out []DriverPos
	for _, drivers := range s.cells {
		for _, d := range drivers {
			if d.Updated.After(t) {
				out = append(out, d)
			}
		}
	}
	return out
}

// size counts the drivers of the shard.
func (s *shard) size() int {
	s.mu.RLock()
	defer s.mu.RLock() // HAZ defer-lock-mismatch
	n := 0
	for _, drivers := range s.cells {
		n += len(drivers)
	}
	return n
}

// ShardSizes reports the driver count per shard (balance dashboard).
func (g *Grid) ShardSizes() []int {
	out := make([]int, len(g.shards))
	for i, s := range g.shards {
		out[i] = s.size()
	}
	return out
}

// ForEach calls fn for every driver, scanning the shards in parallel. fn must
// be safe for concurrent use.
func (g *Grid) ForEach(fn func(DriverPos)) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(g.shards); i++ {
		wg.Add(1)
		go func() { defer wg.Done(); g.shards[i].each(fn) }() // HAZ loop-var-capture
	}
	wg.Wait()
}

// SafeForEach is ForEach for callbacks supplied by admin scripts: a
// panicking callback must not take the dispatcher down.
func (g *Grid) SafeForEach(fn func(DriverPos)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("geo: callback panicked: %v", r)
		}
	}()
	var wg sync.WaitGroup
	for _, s := range g.shards {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			s.each(fn)
		}()
	}
	wg.Wait()
	return nil
}

// CountWhere counts drivers matching pred, shard by shard, recovering a
// panicking predicate in the goroutine that runs it.
func (g *Grid) CountWhere(pred func(DriverPos) bool) (int, error) {
	counts := make([]int, len(g.shards))
	errs := make([]error, len(g.shards))
	var wg sync.WaitGroup
	for i, s := range g.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if r := recover(); r != nil {
					errs[i] = fmt.Errorf("geo: predicate panicked: %v", r)
				}
			}()
			s.each(func(d DriverPos) {
				if pred(d) {
					counts[i]++
				}
			})
		}()
	}
	wg.Wait()
	total := 0
	for _, c := range counts {
		total += c
	}
	for _, err := range errs {
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// Density returns the number of available drivers per cell; the surge pricer
// uses it as the supply side.
func (g *Grid) Density() map[CellID]int {
	parts := make([]map[CellID]int, len(g.shards))
	var wg sync.WaitGroup
	for i, s := range g.shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			parts[i] = s.availableByCell()
		}()
	}
	wg.Wait()

	out := make(map[CellID]int)
	for _, p := range parts {
		for cell, n := range p {
			out[cell] += n
		}
	}
	return out
}

// UpdatedSince streams drivers updated after since. The channel is closed
// once every shard has been scanned or ctx is done.
func (g *Grid) UpdatedSince(ctx context.Context, since time.Time) <-chan DriverPos {
	out := make(chan DriverPos, 64)
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, s := range g.shards {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for _, d := range s.updatedSince(since) {
					select {
					case out <- d:
					case <-ctx.Done():
						return
					}
				}
			}()
		}
		wg.Wait()
	}()
	return out
}
