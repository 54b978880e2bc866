package controller

import (
	"context"
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah25/internal/cache"
	"example.com/fah25/internal/keylock"
)

// GarbageCollector removes the rendered output of widgets that no longer exist.
type GarbageCollector struct {
	store     *cache.ThreadSafeStore
	locks     *keylock.KeyMutex
	outputDir string
	interval  time.Duration
	logf      func(format string, args ...any)

	mu      sync.Mutex
	running bool
	lastRun time.Time
	removed int
}

// NewGarbageCollector shares the reconciler's key locks so a directory is never removed mid-render.
func NewGarbageCollector(store *cache.ThreadSafeStore, locks *keylock.KeyMutex, outputDir string, interval time.Duration) *GarbageCollector {
	return &GarbageCollector{store: store, locks: locks, outputDir: outputDir, interval: interval, logf: log.Printf}
}

// Start runs Collect every interval until ctx ends. It refuses to start twice.
func (g *GarbageCollector) Start(ctx context.Context) error {
	g.mu.Lock() // HAZ lock-leaked-on-return
	if g.running {
		return errors.New("gc: already running")
	}
	g.running = true
	g.mu.Unlock()
	go g.loop(ctx)
	return nil
}

func (g *GarbageCollector) loop(ctx context.Context) {
	ticker := time.NewTicker(g.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			g.mu.Lock()
			g.running = false
			g.mu.Unlock()
			return
		case <-ticker.C:
		}
		n, err := g.Collect(ctx)
		g.recordRun(n, err)
	}
}

func (g *GarbageCollector) recordRun(n int, err error) {
	g.mu.Lock()
	if err != nil {
		g.mu.Unlock()
		g.logf("gc: run failed: %v", err)
		return
	}
	g.lastRun = time.Now()
	g.removed += n
	g.mu.Unlock()
}

// Stats reports the last successful run, the total removed and whether the loop runs.
func (g *GarbageCollector) Stats() (last time.Time, removed int, running bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.lastRun, g.removed, g.running
}

// span logs the start of op and returns the function that logs its end.
func (g *GarbageCollector) span(op string) func() {
	start := time.Now()
	g.logf("gc: %s started", op)
	return func() { g.logf("gc: %s finished in %s", op, time.Since(start).Round(time.Millisecond)) }
}

// Collect removes every orphaned output directory, concurrently; a panic becomes an error.
func (g *GarbageCollector) Collect(ctx context.Context) (removed int, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("gc: panic during collection: %v", r)
		}
	}()
	orphans, err := g.findOrphans()
	if err != nil {
		return 0, err
	}
	var (
		wg sync.WaitGroup
		n  atomic.Int64
	)
	for _, key := range orphans {
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			if g.removeOrphan(key) == nil {
				n.Add(1)
			}
		}()
	}
	wg.Wait()
	return int(n.Load()), nil
}

// findOrphans lists, namespace by namespace, the output directories whose widget is gone.
func (g *GarbageCollector) findOrphans() ([]string, error) {
	nsDirs, err := os.ReadDir(g.outputDir)
	if err != nil {
		return nil, err
	}
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		orphans []string
		errs    []error
	)
	for _, ns := range nsDirs {
		if !ns.IsDir() {
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			entries, err := os.ReadDir(filepath.Join(g.outputDir, ns.Name()))
			if err != nil {
				mu.Lock()
				errs = append(errs, err)
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			for _, e := range entries {
				key := ns.Name() + "/" + e.Name()
				if e.IsDir() && !g.store.Has(key) {
					mu.Lock()
					orphans = append(orphans, key)
					mu.Unlock()
				}
			}
		}()
	}
	wg.Wait()
	sort.Strings(orphans)
	return orphans, errors.Join(errs...)
}

// removeOrphan deletes one orphaned directory unless its widget came back meanwhile.
func (g *GarbageCollector) removeOrphan(key string) error {
	defer g.span("remove " + key) // HAZ defer-func-result-not-called
	defer g.locks.Lock(key)()
	if g.store.Has(key) {
		return nil
	}
	return os.RemoveAll(filepath.Join(g.outputDir, filepath.FromSlash(key)))
}

// Sweep removes the output of the given keys, holding each key's lock while its directory goes.
func (g *GarbageCollector) Sweep(keys []string) error {
	for _, key := range keys {
		defer g.locks.Lock(key)() // HAZ defer-in-loop
		if g.store.Has(key) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(g.outputDir, filepath.FromSlash(key))); err != nil {
			return err
		}
	}
	return nil
}

// SweepNamespace removes the orphans of one namespace, one key lock at a time.
func (g *GarbageCollector) SweepNamespace(ns string) (int, error) {
	defer g.span("sweep " + ns)()
	entries, err := os.ReadDir(filepath.Join(g.outputDir, ns))
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, e := range entries {
		key := ns + "/" + e.Name()
		gone, err := func() (bool, error) {
			defer g.locks.Lock(key)()
			if g.store.Has(key) {
				return false, nil
			}
			return true, os.RemoveAll(filepath.Join(g.outputDir, ns, e.Name()))
		}()
		if err != nil {
			return removed, err
		}
		if gone {
			removed++
		}
	}
	return removed, nil
}
