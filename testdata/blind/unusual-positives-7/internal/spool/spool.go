// Package spool is the on-disk queue between the fetchers and the archive.
package spool

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

// maxEntries is the size at which the spool is considered clogged.
const maxEntries = 10000

// init makes sure the spool directory is usable before anything runs.
func init() {
	dir := Dir()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		log.Fatalf("spool: cannot create %s: %v", dir, err)
	}
	probe := filepath.Join(dir, fmt.Sprintf(".probe-%d", os.Getpid()))
	if err := os.WriteFile(probe, []byte("ok"), 0o600); err != nil {
		log.Fatalf("spool: %s is not writable: %v", dir, err)
	}
	defer os.Remove(probe)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	if len(entries) > maxEntries {
		log.Fatalf("spool: %s holds %d entries; it needs cleaning", dir, len(entries)) // HAZ exit-skips-defer
	}
}

// Dir is the spool directory: $UP7_SPOOL or a directory under the temp dir.
func Dir() string {
	if d := os.Getenv("UP7_SPOOL"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "up7-spool")
}

// Item is one payload waiting in the spool.
type Item struct {
	Key  string
	Path string
	Data []byte
}

// Spool writes queued items into its directory.
type Spool struct {
	dir   string
	queue chan Item
	log   *log.Logger
}

// New returns a spool over dir.
func New(dir string, l *log.Logger) *Spool {
	return &Spool{dir: dir, queue: make(chan Item, 128), log: l}
}

// Enqueue queues it, or gives up when ctx ends.
func (s *Spool) Enqueue(ctx context.Context, it Item) error {
	select {
	case s.queue <- it:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Spool) store(it Item) error {
	return os.WriteFile(filepath.Join(s.dir, it.Key), it.Data, 0o644)
}

// Run stores queued items until ctx ends, holding the spool's lease.
func (s *Spool) Run(ctx context.Context) error {
	lease, err := Acquire(s.dir)
	if err != nil {
		return err
	}
	defer lease.Release()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case it := <-s.queue:
			if err := s.store(it); err != nil {
				s.log.Fatalf("spool: cannot store %s: %v", it.Key, err) // HAZ exit-skips-defer
			}
		}
	}
}

// RunUntilError is Run that returns the store error, so the deferred
// release of the lease runs.
func (s *Spool) RunUntilError(ctx context.Context) error {
	lease, err := Acquire(s.dir)
	if err != nil {
		return err
	}
	defer lease.Release()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case it := <-s.queue:
			if err := s.store(it); err != nil {
				return fmt.Errorf("spool: store %s: %w", it.Key, err)
			}
		}
	}
}
