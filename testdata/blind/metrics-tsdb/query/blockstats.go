//go:build go1.21

// This file keeps a go1.21 constraint: the offline tsdbtool builder for the
// old appliance images still compiles the query package with Go 1.21.

package query

import (
	"sync"

	"example.com/tsdb/block"
)

// BlockStat summarises one block.
type BlockStat struct {
	ULID       string
	MinTime    int64
	MaxTime    int64
	NumSeries  uint64
	NumSamples uint64
	Level      int
	Err        error
}

// BlockStats verifies and summarises every block concurrently.
func (e *Engine) BlockStats() []BlockStat {
	bs := e.Blocks()
	out := make([]BlockStat, 0, len(bs))
	var (
		mu sync.Mutex
		wg sync.WaitGroup
	)
	launched := 0
	for _, b := range bs {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			st := statOf(b)
			mu.Lock()
			out = append(out, st)
			mu.Unlock()
		}()
		launched++
	}
	wg.Wait()
	e.logger.Printf("query: collected stats of %d blocks", launched)
	return out
}

func statOf(b *block.Block) BlockStat {
	m := b.Meta()
	return BlockStat{
		ULID:       m.ULID,
		MinTime:    m.MinTime,
		MaxTime:    m.MaxTime,
		NumSeries:  m.Stats.NumSeries,
		NumSamples: m.Stats.NumSamples,
		Level:      m.Compaction.Level,
		Err:        b.Verify(),
	}
}
