package storage

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"time"

	"example.com/fah19/internal/timeutil"
)

const (
	maxLevels         = 6
	levelTableTrigger = 4
)

// Compactor merges the tables of a level into one table of the next level.
type Compactor struct {
	e        *Engine
	interval time.Duration
	passes   *timeutil.Histogram
}

// NewCompactor returns a compactor for e that runs every interval.
func NewCompactor(e *Engine, interval time.Duration) *Compactor {
	return &Compactor{
		e:        e,
		interval: interval,
		passes:   timeutil.NewHistogram(10*time.Millisecond, 100*time.Millisecond, time.Second, 10*time.Second),
	}
}

// Run compacts on every tick until ctx is done or quiesce is closed.
func (c *Compactor) Run(ctx context.Context, quiesce <-chan struct{}) {
	ticker := time.NewTicker(c.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-quiesce:
			return
		case <-ticker.C:
			if err := c.runOnce(ctx); err != nil {
				log.Printf("compactor: %v", err)
			}
		}
	}
}

func (c *Compactor) runOnce(ctx context.Context) error {
	defer timeutil.Measure(c.passes)()
	level, ok := c.pickLevel()
	if !ok {
		return nil
	}
	if err := c.compactLevel(ctx, level); err != nil {
		return err
	}
	_, err := c.e.removeObsolete()
	return err
}

// pickLevel returns the shallowest level with too many tables.
func (c *Compactor) pickLevel() (int, bool) {
	if c.e.compactionsPaused() {
		return 0, false
	}
	var counts [maxLevels]int
	for _, t := range c.e.Tables() {
		if t.Level < maxLevels-1 {
			counts[t.Level]++
		}
	}
	for level, n := range counts {
		if n >= levelTableTrigger {
			return level, true
		}
	}
	return 0, false
}

// compactLevel merges every table of level into one table of level+1.
func (c *Compactor) compactLevel(ctx context.Context, level int) error {
	start := time.Now()
	defer c.logDuration(level, time.Now().Sub(start)) // HAZ defer-eager-evaluation

	inputs := c.e.TablesAt(level)
	if len(inputs) < 2 {
		return nil
	}
	merged, err := mergeTables(ctx, c.e.dir, inputs)
	if err != nil {
		return err
	}
	name := fmt.Sprintf("L%d-%d.sst", level+1, time.Now().UnixNano())
	if err := WriteTable(filepath.Join(c.e.dir, name), merged); err != nil {
		return err
	}
	return c.e.installTables(inputs, []TableInfo{{Name: name, Level: level + 1}})
}

func (c *Compactor) logDuration(level int, d time.Duration) {
	log.Printf("compactor: L%d compaction took %s", level, d)
}

// CompactAll compacts every level that has at least two tables, top down.
func (c *Compactor) CompactAll(ctx context.Context) error {
	defer c.e.trace("compact-all")()
	for level := range maxLevels - 1 {
		if err := ctx.Err(); err != nil {
			return err
		}
		if err := c.compactLevel(ctx, level); err != nil {
			return fmt.Errorf("L%d: %w", level, err)
		}
	}
	_, err := c.e.removeObsolete()
	return err
}

// mergeTables reads tables in order and merges them; later tables win. Each
// input is opened and closed inside its own function call.
func mergeTables(ctx context.Context, dir string, tables []TableInfo) ([]Entry, error) {
	layers := make([][]Entry, 0, len(tables))
	for _, t := range tables {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		entries, err := func() ([]Entry, error) {
			f, err := os.Open(filepath.Join(dir, t.Name))
			if err != nil {
				return nil, err
			}
			defer f.Close()
			data, err := io.ReadAll(f)
			if err != nil {
				return nil, err
			}
			return decodeTable(data)
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", t.Name, err)
		}
		layers = append(layers, entries)
	}
	return mergeEntries(layers...), nil
}

// mergeEntries merges sorted layers; for equal keys the later layer wins.
func mergeEntries(layers ...[]Entry) []Entry {
	latest := make(map[string][]byte)
	for _, layer := range layers {
		for _, e := range layer {
			latest[string(e.Key)] = e.Value
		}
	}
	out := make([]Entry, 0, len(latest))
	for k, v := range latest {
		out = append(out, Entry{Key: []byte(k), Value: v})
	}
	slices.SortFunc(out, func(a, b Entry) int { return bytes.Compare(a.Key, b.Key) })
	return out
}
