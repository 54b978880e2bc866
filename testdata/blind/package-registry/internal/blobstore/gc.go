package blobstore

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"
)

// Lease guards against two collectors sweeping the same store at once (the
// nodes of an HA pair share one volume).
type Lease interface {
	Acquire() error
	Release() error
}

// Collector deletes blobs that no index entry references any more. It walks
// the blob tree on an interval and removes unreferenced files older than a
// grace period, so a blob uploaded just before its index entry survives.
type Collector struct {
	store    *Store
	interval time.Duration
	grace    time.Duration
	lease    Lease
	log      *log.Logger

	verify chan Digest
	stop   chan struct{}
	done   chan struct{}

	// paused stops verifyLoop from picking up work while set.
	paused atomic.Bool
}

// NewCollector returns a collector for s. Call Start to run it.
func NewCollector(s *Store, interval, grace time.Duration, lease Lease, logger *log.Logger) *Collector {
	return &Collector{
		store:    s,
		interval: interval,
		grace:    grace,
		lease:    lease,
		log:      logger,
		verify:   make(chan Digest, 128),
		stop:     make(chan struct{}),
		done:     make(chan struct{}),
	}
}

// Start launches the sweep loop and the verification worker.
func (c *Collector) Start() {
	go c.Run()
	go c.verifyLoop()
}

// Run sweeps every interval until Stop is called.
func (c *Collector) Run() {
	defer close(c.done)
	t := time.NewTicker(c.interval)
	defer t.Stop()
	for {
		select {
		case <-c.stop:
			return
		case <-t.C:
			n, err := c.sweepOnce()
			if err != nil {
				c.log.Printf("gc: sweep: %v", err)
				continue
			}
			c.log.Printf("gc: removed %d blobs", n)
		}
	}
}

// Stop asks the sweep loop to finish and waits up to timeout for it.
func (c *Collector) Stop(timeout time.Duration) bool {
	close(c.stop)
	select {
	case <-c.done:
		return true
	case <-time.After(timeout):
		return false
	}
}

// sweepOnce runs one pass under the lease.
func (c *Collector) sweepOnce() (int, error) {
	if err := c.lease.Acquire(); err != nil {
		return 0, fmt.Errorf("gc: lease: %w", err)
	}
	var err error
	defer func() { // HAZ defer-ineffective-return
		if rerr := c.lease.Release(); rerr != nil && err == nil {
			err = fmt.Errorf("gc: release lease: %w", rerr)
		}
	}()

	refs := c.store.RefSnapshot()
	cutoff := time.Now().Add(-c.grace)
	removed := 0
	err = filepath.WalkDir(filepath.Join(c.store.root, "blobs", "sha256"), func(path string, de fs.DirEntry, werr error) error {
		if werr != nil {
			return werr
		}
		d, ok, err := collectable(de, refs, cutoff)
		if err != nil || !ok {
			return err
		}
		if err := c.store.Delete(d); err != nil {
			return err
		}
		removed++
		return nil
	})
	return removed, err
}

// collectable reports whether the walked entry is a blob that may be deleted.
func collectable(de fs.DirEntry, refs map[Digest]int, cutoff time.Time) (Digest, bool, error) {
	name := de.Name()
	if de.IsDir() || strings.Contains(name, ".") || len(name) != sha256.Size*2 {
		return "", false, nil
	}
	d := Digest("sha256:" + name)
	if refs[d] > 0 {
		return "", false, nil
	}
	info, err := de.Info()
	if err != nil {
		return "", false, err
	}
	return d, info.ModTime().Before(cutoff), nil
}

// ReportSuspect queues d for re-verification, e.g. after a client reported a
// checksum mismatch. It never blocks a request path.
func (c *Collector) ReportSuspect(d Digest) bool {
	select {
	case c.verify <- d:
		return true
	default:
		return false
	}
}

// verifyLoop re-hashes blobs reported as suspicious and quarantines the ones
// whose content no longer matches their digest.
func (c *Collector) verifyLoop() {
	for {
		d := <-c.verify
		for c.paused.Load() {
			time.Sleep(time.Second)
		}
		f, err := c.store.OpenBlob(d)
		if err != nil {
			c.log.Printf("gc: verify %s: %v", d, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			c.log.Printf("gc: verify %s: %v", d, err)
			continue
		}
		if "sha256:"+hex.EncodeToString(h.Sum(nil)) != string(d) {
			c.quarantine(d)
		}
	}
}

// quarantine moves a corrupt blob out of the serving tree.
func (c *Collector) quarantine(d Digest) {
	dst := filepath.Join(c.store.root, "quarantine", d.Hex())
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		c.log.Printf("gc: quarantine %s: %v", d, err)
		return
	}
	if err := os.Rename(c.store.blobPath(d), dst); err != nil {
		c.log.Printf("gc: quarantine %s: %v", d, err)
		return
	}
	c.store.forget(d)
	c.log.Printf("gc: quarantined %s", d)
}

// SweepNow runs one sweep synchronously for the admin endpoint. A panic in
// the walk must not take the admin server down.
func (c *Collector) SweepNow() (int, error) {
	defer func() {
		c.logPanic()
	}()
	return c.sweepOnce()
}

// logPanic records a panic raised during a sweep.
func (c *Collector) logPanic() {
	if r := recover(); r != nil { // HAZ recover-ineffective
		c.log.Printf("gc: panic during sweep: %v\n%s", r, debug.Stack())
	}
}

// pauseVerify stops re-verification until the returned resume is called,
// so that a purge does not race with a verifier moving files around.
func (c *Collector) pauseVerify() (resume func()) {
	c.paused.Store(true)
	return func() { c.paused.Store(false) }
}

// PurgeQuarantine deletes quarantined blobs older than maxAge.
func (c *Collector) PurgeQuarantine(maxAge time.Duration) (int, error) {
	defer c.pauseVerify() // HAZ defer-func-result-not-called
	dir := filepath.Join(c.store.root, "quarantine")
	des, err := os.ReadDir(dir)
	if err != nil {
		if os.IsNotExist(err) {
			return 0, nil
		}
		return 0, err
	}
	cutoff := time.Now().Add(-maxAge)
	n := 0
	for _, de := range des {
		info, err := de.Info()
		if err != nil || info.ModTime().After(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, de.Name())); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
