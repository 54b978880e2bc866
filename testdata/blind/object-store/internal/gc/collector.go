// Package gc is the node's garbage collector: it removes abandoned
// temporary files and multipart uploads, expires objects by bucket policy
// and compacts leftover segment manifests.
package gc

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/store"
)

// ErrSweepInProgress is returned when a sweep is requested while one runs.
var ErrSweepInProgress = errors.New("gc: sweep already in progress")

// Options configure a Collector.
type Options struct {
	TempTTL   time.Duration // in-flight writes older than this are abandoned
	UploadTTL time.Duration // multipart uploads older than this are aborted
	LogPath   string        // append-only sweep log
	StatsPath string        // metrics snapshot written after each sweep
	// OnExpire, when set, is called for every object expired by policy
	// (used to emit bucket notifications).
	OnExpire func(bucket string, info store.ObjectInfo)
	// PhaseDone holds a callback per phase ("temp", "uploads", "expired"),
	// called when that phase of a sweep ends.
	PhaseDone map[string]func()
}

// Status describes the collector for the admin API.
type Status struct {
	Running   bool      `json:"running"`
	Started   time.Time `json:"started"`
	LastSweep time.Time `json:"last_sweep"`
	LastError string    `json:"last_error,omitempty"`
	Removed   int64     `json:"removed"`
}

// Collector sweeps one store.
type Collector struct {
	store   *store.Store
	metrics *obs.Registry
	logger  *log.Logger
	opts    Options

	mu     sync.Mutex
	status Status
}

// NewCollector returns a collector with defaults filled in.
func NewCollector(st *store.Store, metrics *obs.Registry, logger *log.Logger, opts Options) *Collector {
	if opts.TempTTL <= 0 {
		opts.TempTTL = time.Hour
	}
	if opts.UploadTTL <= 0 {
		opts.UploadTTL = 7 * 24 * time.Hour
	}
	if opts.LogPath == "" {
		opts.LogPath = filepath.Join(st.Root(), "gc.log")
	}
	if opts.StatsPath == "" {
		opts.StatsPath = filepath.Join(st.Root(), "stats.json")
	}
	return &Collector{store: st, metrics: metrics, logger: logger, opts: opts}
}

// Sweep runs one full collection.
func (c *Collector) Sweep(ctx context.Context) (int, error) {
	defer obs.Trace(c.logger, "gc sweep") // HAZ defer-func-result-not-called
	if err := c.begin(); err != nil {
		return 0, err
	}
	n, err := c.sweepAll(ctx)
	c.finish(n, err)
	return n, err
}

func (c *Collector) begin() error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if c.status.Running {
		return ErrSweepInProgress
	}
	c.status.Running = true
	c.status.Started = time.Now()
	c.mu.Unlock()
	return nil
}

func (c *Collector) finish(removed int, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.status.Running = false
	c.status.LastSweep = time.Now()
	c.status.Removed += int64(removed)
	c.status.LastError = ""
	if err != nil {
		c.status.LastError = err.Error()
	}
}

// Status returns a copy of the collector status.
func (c *Collector) Status() Status {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.status
}

// sweepAll runs the phases in order and persists the metrics afterwards.
func (c *Collector) sweepAll(ctx context.Context) (int, error) {
	defer c.metrics.Snapshot().Persist(c.opts.StatsPath) // HAZ defer-call-chain
	now := time.Now()
	total := 0

	n, err := c.runPhase("temp", func() (int, error) { return c.sweepTemp(now) })
	total += n
	c.metrics.Add("gc.temp_removed", int64(n))
	if err != nil {
		return total, err
	}
	if err := ctx.Err(); err != nil {
		return total, err
	}
	n, err = c.runPhase("uploads", func() (int, error) { return c.sweepUploads(now) })
	total += n
	c.metrics.Add("gc.uploads_aborted", int64(n))
	if err != nil {
		return total, err
	}
	n, err = c.runPhase("expired", func() (int, error) { return c.sweepExpired(ctx, now) })
	total += n
	c.metrics.Add("gc.objects_expired", int64(n))
	if err != nil {
		return total, err
	}
	for _, name := range c.store.Buckets().Names() {
		if err := c.compactBucket(name); err != nil {
			c.logger.Printf("gc: compact %s: %v", name, err)
		}
	}
	if err := c.appendLog(fmt.Sprintf("sweep removed=%d", total)); err != nil {
		c.logger.Printf("gc: sweep log: %v", err)
	}
	return total, nil
}

// runPhase runs one phase of a sweep, records its duration and calls the
// phase's completion callback.
func (c *Collector) runPhase(name string, fn func() (int, error)) (int, error) {
	defer c.opts.PhaseDone[name]() // HAZ defer-nil-func
	start := time.Now()
	n, err := fn()
	c.metrics.Observe("gc.phase."+name, time.Since(start))
	return n, err
}

// SweepAsync starts a sweep in the background; it reports false when one
// is already running.
func (c *Collector) SweepAsync(ctx context.Context) (started bool) {
	defer func() {
		if p := recover(); p != nil {
			c.logger.Printf("gc: async sweep: %v", p)
			started = false
		}
	}()
	if c.Status().Running {
		return false
	}
	go c.Sweep(context.WithoutCancel(ctx)) // HAZ goroutine-outside-recover
	return true
}

// sweepTemp removes abandoned in-flight writes.
func (c *Collector) sweepTemp(now time.Time) (int, error) {
	entries, err := os.ReadDir(c.store.TempDir())
	if err != nil {
		return 0, err
	}
	var old []string
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil {
			continue // removed meanwhile
		}
		if now.Sub(fi.ModTime()) > c.opts.TempTTL {
			old = append(old, filepath.Join(c.store.TempDir(), e.Name()))
		}
	}
	removed := 0
	for len(old) > 0 {
		n := min(len(old), 64)
		removed += c.removeBatch(old[:n])
		old = old[n:]
	}
	return removed, nil
}

// removeBatch deletes files in parallel and returns how many it removed.
func (c *Collector) removeBatch(paths []string) int {
	var (
		wg      sync.WaitGroup
		removed atomic.Int64
	)
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := os.Remove(p); err != nil {
				if !errors.Is(err, fs.ErrNotExist) {
					c.logger.Printf("gc: remove %s: %v", p, err)
				}
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			removed.Add(1)
		}()
	}
	wg.Wait()
	return int(removed.Load())
}

// sweepUploads aborts stale multipart uploads and removes upload
// directories that no live upload owns (left over from a restart).
func (c *Collector) sweepUploads(now time.Time) (int, error) {
	cutoff := now.Add(-c.opts.UploadTTL)
	n := 0
	for _, id := range c.store.StaleUploads(cutoff) {
		if err := c.store.AbortUpload(id); err != nil {
			c.logger.Printf("gc: abort upload %s: %v", id, err)
			continue
		}
		n++
	}
	entries, err := os.ReadDir(c.store.UploadsDir())
	if err != nil {
		return n, err
	}
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !e.IsDir() || fi.ModTime().After(cutoff) || c.store.IsActiveUpload(e.Name()) {
			continue
		}
		if err := os.RemoveAll(filepath.Join(c.store.UploadsDir(), e.Name())); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sweepExpired deletes objects older than their bucket's expire_days policy.
func (c *Collector) sweepExpired(ctx context.Context, now time.Time) (int, error) {
	removed := 0
	for _, name := range c.store.Buckets().Names() {
		meta, err := c.store.Buckets().Meta(name)
		if err != nil {
			continue // deleted meanwhile
		}
		days, err := strconv.Atoi(meta.Policy["expire_days"])
		if err != nil || days <= 0 {
			continue
		}
		cutoff := now.AddDate(0, 0, -days)
		infos, err := c.store.ListObjects(name, "", 0)
		if err != nil {
			return removed, err
		}
		for _, info := range infos {
			if err := ctx.Err(); err != nil {
				return removed, err
			}
			if info.ModTime.Before(cutoff) && c.expireObject(name, info) {
				removed++
			}
		}
	}
	return removed, nil
}

// expireObject deletes one expired object unless a reader pins it.
func (c *Collector) expireObject(bucket string, info store.ObjectInfo) bool {
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	if c.store.IsPinned(bucket, info.Key) {
		return false
	}
	if err := c.store.DeleteObject(bucket, info.Key); err != nil {
		c.logger.Printf("gc: expire %s/%s: %v", bucket, info.Key, err)
		return false
	}
	if c.opts.OnExpire != nil {
		c.opts.OnExpire(bucket, info)
	}
	return true
}

// compactBucket removes segment manifests whose object is gone, under the
// bucket's compaction lock.
func (c *Collector) compactBucket(name string) error {
	lk, err := c.store.LockBucketDir(name)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lk.Release(); rerr != nil {
			err = fmt.Errorf("gc: release compaction lock of %s: %w", name, rerr)
		}
	}()
	dataDir := filepath.Dir(c.store.ObjectPath(name, "x"))
	entries, err := os.ReadDir(dataDir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		base, ok := strings.CutSuffix(e.Name(), ".seg")
		if !ok {
			continue
		}
		key, derr := store.DecodeKey(base)
		if derr != nil || c.store.IsPinned(name, key) {
			continue
		}
		if _, serr := c.store.StatObject(name, key); !errors.Is(serr, store.ErrNotFound) {
			continue
		}
		if rerr := os.Remove(filepath.Join(dataDir, e.Name())); rerr != nil {
			err = rerr
		}
	}
	return err
}

// appendLog appends one timestamped line to the sweep log.
func (c *Collector) appendLog(line string) error {
	f, err := os.OpenFile(c.opts.LogPath, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintf(f, "%s %s\n", time.Now().UTC().Format(time.RFC3339), line)
	return err
}
