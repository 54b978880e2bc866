// Package scrub is the background scrubber: it re-reads every object,
// compares its content hash with the one recorded at write time, records
// corrupt objects in a quarantine directory and repairs them from a peer.
package scrub

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"time"

	"example.com/objstore/internal/obs"
	"example.com/objstore/internal/store"
)

// ErrAlreadyRunning is returned by RunOnce while another pass is running.
var ErrAlreadyRunning = errors.New("scrub: a pass is already running")

// Repairer fetches a good copy of an object, typically from a peer.
type Repairer interface {
	FetchObject(ctx context.Context, bucket, key string, w io.Writer) error
}

// ObjectRef names one object.
type ObjectRef struct {
	Bucket string `json:"bucket"`
	Key    string `json:"key"`
}

// Report summarises one scrub pass.
type Report struct {
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
	Buckets  int           `json:"buckets"`
	Scanned  int64         `json:"scanned"`
	Corrupt  int64         `json:"corrupt"`
	Errors   int64         `json:"errors"`
}

// Scrubber verifies stored objects against their recorded hashes.
type Scrubber struct {
	store         *store.Store
	repairer      Repairer
	metrics       *obs.Registry
	logger        *log.Logger
	interval      time.Duration
	workers       int
	quarantineDir string
	repairs       chan ObjectRef

	mu      sync.Mutex
	running bool
	last    Report
}

// New returns a scrubber. repairer may be nil, in which case corrupt objects
// are only quarantined.
func New(st *store.Store, repairer Repairer, metrics *obs.Registry, logger *log.Logger, interval time.Duration, workers int, quarantineDir string) *Scrubber {
	if workers < 1 {
		workers = 1
	}
	return &Scrubber{
		store:         st,
		repairer:      repairer,
		metrics:       metrics,
		logger:        logger,
		interval:      interval,
		workers:       workers,
		quarantineDir: quarantineDir,
		repairs:       make(chan ObjectRef, 256),
	}
}

// Run scrubs on every tick until ctx is cancelled.
func (s *Scrubber) Run(ctx context.Context) {
	ticker := time.NewTicker(s.interval)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			if _, err := s.RunOnce(ctx); err != nil && !errors.Is(err, ErrAlreadyRunning) {
				s.logger.Printf("scrub: %v", err)
			}
		}
	}
}

// tryStart marks a pass as running; false means one is already in progress.
func (s *Scrubber) tryStart() bool {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return false
	}
	s.running = true
	s.mu.Unlock()
	return true
}

func (s *Scrubber) finish(rep Report) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.running = false
	s.last = rep
}

// LastReport returns the report of the last finished pass.
func (s *Scrubber) LastReport() Report {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

// RunOnce performs one full pass over every bucket.
func (s *Scrubber) RunOnce(ctx context.Context) (Report, error) {
	if !s.tryStart() {
		return Report{}, ErrAlreadyRunning
	}
	rep, err := s.pass(ctx)
	s.finish(rep)
	s.metrics.Add("scrub.scanned", rep.Scanned)
	s.metrics.Add("scrub.corrupt", rep.Corrupt)
	return rep, err
}

// pass scans every bucket. A panic (a malformed sidecar, say) aborts the
// pass with an error instead of taking the node down.
func (s *Scrubber) pass(ctx context.Context) (rep Report, err error) {
	rep.Started = time.Now()
	defer func() {
		if p := recover(); p != nil {
			s.logger.Printf("scrub: pass aborted by panic: %v\n%s", p, debug.Stack())
			err = fmt.Errorf("scrub: panic during pass: %v", p)
		}
		rep.Duration = time.Since(rep.Started)
	}()
	names := s.store.Buckets().Names()
	rep.Buckets = len(names)
	t, err := s.scanBuckets(ctx, names)
	rep.Scanned, rep.Corrupt, rep.Errors = t.scanned, t.corrupt, t.errors
	return rep, err
}

type totals struct {
	scanned, corrupt, errors int64
}

// scanBuckets fans the buckets out to s.workers goroutines.
func (s *Scrubber) scanBuckets(ctx context.Context, names []string) (totals, error) {
	jobs := make(chan string)
	var (
		wg  sync.WaitGroup
		mu  sync.Mutex
		sum totals
	)
	for range s.workers {
		wg.Add(1)
		go func() {
			defer s.recoverWorker("scan")
			for name := range jobs {
				t, err := s.scanBucket(ctx, name)
				if err != nil {
					s.logger.Printf("scrub: bucket %s: %v", name, err)
					return
				}
				mu.Lock()
				sum.scanned += t.scanned
				sum.corrupt += t.corrupt
				sum.errors += t.errors
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
feed:
	for _, name := range names {
		select {
		case jobs <- name:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	return sum, ctx.Err()
}

// scanBucket checks every object of one bucket.
func (s *Scrubber) scanBucket(ctx context.Context, name string) (totals, error) {
	start := time.Now()
	defer s.metrics.Observe("scrub.bucket", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	objs, err := s.store.WalkObjects(ctx, name)
	if err != nil {
		return totals{}, err
	}
	var t totals
	for info := range objs {
		t.scanned++
		ok, err := s.checkObject(ctx, info)
		switch {
		case err != nil:
			t.errors++
			s.logger.Printf("scrub: %s/%s: %v", info.Bucket, info.Key, err)
		case !ok:
			t.corrupt++
			if err := s.quarantine(info, "sha256 mismatch"); err != nil {
				s.logger.Printf("scrub: quarantine %s/%s: %v", info.Bucket, info.Key, err)
			}
			s.EnqueueRepair(ObjectRef{Bucket: info.Bucket, Key: info.Key})
		}
		if err := s.checkLegacySidecar(info); err != nil {
			t.errors++
			s.logger.Printf("scrub: %v", err)
		}
	}
	return t, ctx.Err()
}

// checkObject re-hashes one object and compares it with its sidecar.
func (s *Scrubber) checkObject(ctx context.Context, info store.ObjectInfo) (bool, error) {
	unpin := s.store.Pin(info.Bucket, info.Key)
	defer unpin()
	segs, _, err := s.store.Segments(info.Bucket, info.Key)
	if err != nil {
		return false, err
	}
	if len(segs) > 0 {
		return checkSegments(ctx, segs)
	}
	f, _, err := s.store.OpenObject(info.Bucket, info.Key)
	if errors.Is(err, store.ErrNotFound) {
		return true, nil // deleted since the listing
	}
	if err != nil {
		return false, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return false, err
	}
	return hex.EncodeToString(h.Sum(nil)) == info.SHA256, nil
}

// quarantine records a corrupt object next to the data directory so that an
// operator can see what was found and when.
func (s *Scrubber) quarantine(info store.ObjectInfo, reason string) error {
	dir := filepath.Join(s.quarantineDir, info.Bucket)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	note := fmt.Sprintf("key=%s size=%d md5=%s sha256=%s reason=%q at=%s\n",
		store.EncodeKey(info.Key), info.Size, info.MD5, info.SHA256, reason, time.Now().UTC().Format(time.RFC3339))
	return writeNote(s.notePath(ObjectRef{Bucket: info.Bucket, Key: info.Key}), note)
}

func (s *Scrubber) notePath(ref ObjectRef) string {
	return filepath.Join(s.quarantineDir, ref.Bucket, store.EncodeKey(ref.Key)+".txt")
}

// writeNote writes a small text file; the close error is checked.
func writeNote(path, text string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.WriteString(f, text); err != nil {
		return err
	}
	return f.Close()
}

// recoverWorker is deferred by worker goroutines so that one bad object does
// not take the node down.
func (s *Scrubber) recoverWorker(what string) {
	if p := recover(); p != nil {
		s.logger.Printf("scrub: %s worker panic: %v\n%s", what, p, debug.Stack())
	}
}
