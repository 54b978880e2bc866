// Package ingest moves lines from local log files into the segment writer
// and records progress in the state store.
package ingest

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah16/internal/safe"
	"example.com/fah16/internal/segment"
	"example.com/fah16/internal/state"
	"example.com/fah16/internal/trace"
)

// Ingester ships files into a segment writer.
type Ingester struct {
	store *state.Store
	w     *segment.Writer
	log   *log.Logger
}

// New returns an Ingester.
func New(store *state.Store, w *segment.Writer, logger *log.Logger) *Ingester {
	return &Ingester{store: store, w: w, log: logger}
}

// IngestFile ships every line of path and records the new offset. A panic
// in the writer becomes an error.
func (in *Ingester) IngestFile(path string) (n int, err error) {
	defer trace.Start("ingest " + filepath.Base(path))()
	defer safe.Recover(&err)
	return in.ship(path)
}

// ship writes every line of path and records the new offset.
func (in *Ingester) ship(path string) (int, error) {
	lines, err := segment.ReadLines(path)
	if err != nil {
		return 0, err
	}
	in.store.Register(path)
	n := 0
	for _, l := range lines {
		if _, err := in.w.Write([]byte(l + "\n")); err != nil {
			return n, err
		}
		n++
	}
	return n, in.store.Advance(path, int64(n), time.Now())
}

// IngestDir ships every *.log file in dir.
func (in *Ingester) IngestDir(dir string) (int, error) {
	defer trace.Start("ingest-dir " + dir) // HAZ defer-func-result-not-called
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".log") {
			continue
		}
		n, err := in.IngestFile(filepath.Join(dir, e.Name()))
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// IngestBatch ships paths in order and logs how long the batch took.
func (in *Ingester) IngestBatch(paths []string) error {
	start := time.Now()
	defer in.log.Printf("ingested %d files in %s", len(paths), time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, p := range paths {
		if _, err := in.IngestFile(p); err != nil {
			return fmt.Errorf("batch stopped at %s: %w", p, err)
		}
	}
	return nil
}

// Replay re-ships paths from the beginning and logs how long it took.
func (in *Ingester) Replay(paths []string) error {
	start := time.Now()
	defer func() {
		in.log.Printf("replayed %d files in %s", len(paths), time.Since(start))
	}()
	for _, p := range paths {
		if _, err := in.IngestFile(p); err != nil {
			return err
		}
	}
	return nil
}

// Backfill ships paths and logs the writer's counters at the end.
func (in *Ingester) Backfill(paths []string) error {
	defer in.w.Stats().Report(in.log, "backfill") // HAZ defer-call-chain
	for _, p := range paths {
		if _, err := in.IngestFile(p); err != nil {
			return err
		}
	}
	return nil
}

// Resync ships paths and logs the writer's counters at the end.
func (in *Ingester) Resync(paths []string) error {
	defer func() { in.w.Stats().Report(in.log, "resync") }()
	for _, p := range paths {
		if _, err := in.IngestFile(p); err != nil {
			return err
		}
	}
	return nil
}

// Tail returns the last n lines of path.
func (in *Ingester) Tail(path string, n int) ([]string, error) {
	defer in.log.Printf("tail %s: %d lines requested", path, n)
	lines, err := segment.ReadLines(path)
	if err != nil {
		return nil, err
	}
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return lines, nil
}

func (in *Ingester) report(op string, err error) {
	if err != nil {
		in.log.Printf("%s failed: %v", op, err)
		return
	}
	in.log.Printf("%s ok", op)
}

// Checkpoint rotates the writer and writes the offsets of every source to
// path.
func (in *Ingester) Checkpoint(path string) error {
	var err error
	defer in.report("checkpoint", err) // HAZ defer-eager-evaluation
	if err = in.w.Rotate(); err != nil {
		return err
	}
	err = segment.WriteLines(path, offsetLines(in.store.Snapshot()))
	return err
}

// Compact rewrites path with only the sources that still exist.
func (in *Ingester) Compact(path string) (err error) {
	defer func() { in.report("compact", err) }()
	lines, err := segment.ReadLines(path)
	if err != nil {
		return err
	}
	known := make(map[string]bool)
	for _, src := range in.store.Snapshot() {
		known[src.Name] = true
	}
	kept := lines[:0]
	for _, l := range lines {
		if name, _, ok := strings.Cut(l, "\t"); ok && known[name] {
			kept = append(kept, l)
		}
	}
	return segment.WriteLines(path, kept)
}

func offsetLines(snap []state.Source) []string {
	lines := make([]string, 0, len(snap))
	for _, s := range snap {
		lines = append(lines, fmt.Sprintf("%s\t%d", s.Name, s.Offset))
	}
	return lines
}
