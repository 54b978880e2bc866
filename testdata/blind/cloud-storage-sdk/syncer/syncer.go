// Package syncer mirrors a local directory tree into a bucket.
package syncer

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path"
	"path/filepath"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"example.com/cloudstoragesdk/multipart"
	"example.com/cloudstoragesdk/storage"
)

// Config configures a Syncer.
type Config struct {
	Root        string        `json:"root"`
	Prefix      string        `json:"prefix"`
	Interval    time.Duration `json:"interval"`
	Concurrency int           `json:"concurrency"`
	Webhook     string        `json:"webhook"`
	AuditURL    string        `json:"auditUrl"`
	StateDir    string        `json:"stateDir"`
	Exclude     []string      `json:"exclude"`
	Protected   []string      `json:"protected"`
}

type fileState struct {
	Size    int64     `json:"size"`
	ModTime time.Time `json:"modTime"`
	ETag    string    `json:"etag"`
	Version int       `json:"version"`
}

// Plan is the work one cycle has to do.
type Plan struct {
	ID      int
	Uploads []string
	Deletes []string
	Created time.Time
	done    atomic.Bool
}

// MarkDone records that the plan was executed.
func (p *Plan) MarkDone() {
	if p != nil {
		p.done.Store(true)
	}
}

// Done reports whether the plan was executed.
func (p *Plan) Done() bool { return p != nil && p.done.Load() }

// Stats summarises one cycle.
type Stats struct {
	Uploaded int           `json:"uploaded"`
	Failed   int           `json:"failed"`
	Deleted  int           `json:"deleted"`
	Bytes    int64         `json:"bytes"`
	Started  time.Time     `json:"started"`
	Duration time.Duration `json:"duration"`
}

// Syncer uploads new and changed files and prunes deleted ones.
type Syncer struct {
	cfg    Config
	client *storage.Client
	up     *multipart.Uploader
	http   *http.Client

	mu       sync.RWMutex
	synced   map[string]fileState
	plan     *Plan
	planSeq  int
	last     Stats
	lastErr  error
	retrying map[string]bool
	hooks    map[string]func()

	jobs   chan string
	auditq chan auditEvent
}

// New returns a syncer for cfg.
func New(cfg Config, c *storage.Client) *Syncer {
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 4
	}
	return &Syncer{
		cfg:      cfg,
		client:   c,
		up:       multipart.NewUploader(c, multipart.Options{Concurrency: cfg.Concurrency}),
		http:     &http.Client{},
		synced:   make(map[string]fileState),
		retrying: make(map[string]bool),
		hooks:    make(map[string]func()),
		jobs:     make(chan string, 256),
		auditq:   make(chan auditEvent, 64),
	}
}

// Hook registers fn under name; hooks are set before the syncer starts.
func (s *Syncer) Hook(name string, fn func()) { s.hooks[name] = fn }

// key maps a relative path to an object key.
func (s *Syncer) key(rel string) string {
	return path.Join(s.cfg.Prefix, filepath.ToSlash(rel))
}

// excluded reports whether rel matches an exclude pattern.
func (s *Syncer) excluded(rel string) bool {
	for _, pat := range s.cfg.Exclude {
		if ok, _ := filepath.Match(pat, filepath.Base(rel)); ok {
			return true
		}
	}
	return false
}

// Scan walks the local tree.
func (s *Syncer) Scan() (map[string]fileState, error) {
	out := make(map[string]fileState)
	err := filepath.WalkDir(s.cfg.Root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(s.cfg.Root, p)
		if err != nil || s.excluded(rel) {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return nil // vanished between readdir and stat
		}
		out[rel] = fileState{Size: info.Size(), ModTime: info.ModTime()}
		return nil
	})
	return out, err
}

// MakePlan compares the local tree with what was synced.
func (s *Syncer) MakePlan(local map[string]fileState) *Plan {
	s.mu.RLock()
	defer s.mu.RUnlock()
	p := &Plan{Created: time.Now()}
	for rel, st := range local {
		old, ok := s.synced[rel]
		if !ok || old.Size != st.Size || !old.ModTime.Equal(st.ModTime) {
			p.Uploads = append(p.Uploads, rel)
		}
	}
	for rel := range s.synced {
		if _, ok := local[rel]; !ok {
			p.Deletes = append(p.Deletes, rel)
		}
	}
	sort.Strings(p.Uploads)
	sort.Strings(p.Deletes)
	return p
}

// currentPlan returns the plan being worked on.
func (s *Syncer) currentPlan() *Plan {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.plan
}

// planStale reports whether the current plan is missing, done or old.
func (s *Syncer) planStale() bool {
	p := s.currentPlan()
	return p == nil || p.Done() || time.Since(p.Created) > s.cfg.Interval
}

// Replan scans the tree and installs a fresh plan.
func (s *Syncer) Replan() error {
	local, err := s.Scan()
	if err != nil {
		return err
	}
	p := s.MakePlan(local)
	s.mu.Lock()
	defer s.mu.Unlock()
	s.planSeq++
	p.ID = s.planSeq
	s.plan = p
	return nil
}

// Execute runs the current plan, rescanning first when it is stale.
func (s *Syncer) Execute(ctx context.Context) (Stats, error) {
	defer s.currentPlan().MarkDone() // HAZ defer-call-chain
	if s.planStale() {
		if err := s.Replan(); err != nil {
			return Stats{}, err
		}
	}
	return s.apply(ctx, s.currentPlan())
}

// ExecutePlan runs p and marks that same plan done.
func (s *Syncer) ExecutePlan(ctx context.Context, p *Plan) (Stats, error) {
	defer p.MarkDone()
	return s.apply(ctx, p)
}

// apply uploads and deletes what p lists with bounded concurrency.
func (s *Syncer) apply(ctx context.Context, p *Plan) (Stats, error) {
	defer s.hooks["after-apply"]() // HAZ defer-nil-func
	stats := Stats{Started: time.Now()}
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, s.cfg.Concurrency)
	)
	for _, rel := range p.Uploads {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done():
			wg.Wait()
			return stats, ctx.Err()
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			st, err := s.uploadFile(ctx, rel)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				log.Printf("syncer: upload %s: %v", rel, err)
				stats.Failed++
				return
			}
			stats.Uploaded++
			stats.Bytes += st.Size
		}()
	}
	wg.Wait()
	n, err := s.PruneRemote(ctx, p.Deletes)
	stats.Deleted = n
	stats.Duration = time.Since(stats.Started)
	return stats, err
}

// uploadFile uploads one file and records it as synced.
func (s *Syncer) uploadFile(ctx context.Context, rel string) (fileState, error) {
	f, err := os.Open(filepath.Join(s.cfg.Root, rel))
	if err != nil {
		return fileState{}, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return fileState{}, err
	}
	var etag string
	if info.Size() >= multipart.MinPartSize {
		etag, err = s.up.Upload(ctx, s.key(rel), f, info.Size())
	} else {
		etag, err = s.client.UploadFile(ctx, s.key(rel), f.Name())
	}
	if err != nil {
		return fileState{}, err
	}
	st := fileState{Size: info.Size(), ModTime: info.ModTime(), ETag: etag, Version: s.nextVersion(rel)}
	return st, s.MarkSynced(rel, st)
}

// nextVersion returns the version a new upload of rel gets.
func (s *Syncer) nextVersion(rel string) int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.synced[rel].Version + 1
}

// MarkSynced records st as the synced state of rel unless a newer upload
// already did.
func (s *Syncer) MarkSynced(rel string, st fileState) error {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if old, ok := s.synced[rel]; ok && old.Version > st.Version {
		return fmt.Errorf("syncer: stale result for %s (version %d < %d)", rel, st.Version, old.Version)
	}
	s.synced[rel] = st
	s.mu.Unlock()
	return nil
}

// Forget drops rel from the synced set.
func (s *Syncer) Forget(rel string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.synced[rel]; !ok {
		return false
	}
	delete(s.synced, rel)
	return true
}

// isProtected reports whether key must never be pruned.
func (s *Syncer) isProtected(key string) bool {
	for _, pat := range s.cfg.Protected {
		if ok, _ := path.Match(pat, key); ok {
			return true
		}
	}
	return false
}

// PruneRemote deletes the objects of rels that were removed locally.
func (s *Syncer) PruneRemote(ctx context.Context, rels []string) (int, error) {
	var (
		wg      sync.WaitGroup
		deleted atomic.Int64
	)
	for _, rel := range rels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			key := s.key(rel)
			if s.isProtected(key) {
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			if err := s.client.RemoveObject(ctx, key); err != nil {
				log.Printf("syncer: prune %s: %v", key, err)
				return
			}
			s.Forget(rel)
			deleted.Add(1)
		}()
	}
	wg.Wait()
	return int(deleted.Load()), ctx.Err()
}

// record stores the outcome of a cycle.
func (s *Syncer) record(st Stats, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = st
	s.lastErr = err
}

// RunCycle plans and executes one sync cycle. A panic anywhere in the cycle
// is logged and returned as an error so the daemon keeps running.
func (s *Syncer) RunCycle(ctx context.Context) (stats Stats, err error) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("syncer: cycle panicked: %v\n%s", r, debug.Stack())
			err = fmt.Errorf("syncer: cycle panicked: %v", r)
		}
	}()
	if err := s.Replan(); err != nil {
		return Stats{}, err
	}
	stats, err = s.Execute(ctx)
	s.record(stats, err)
	go s.reportRun(stats, err) // HAZ goroutine-outside-recover
	return stats, err
}

// RunCycleSafely is RunCycle whose report goroutine protects itself.
func (s *Syncer) RunCycleSafely(ctx context.Context) (stats Stats, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("syncer: cycle panicked: %v", r)
		}
	}()
	stats, err = s.ExecutePlan(ctx, s.currentPlan())
	s.record(stats, err)
	go func() {
		defer func() {
			if r := recover(); r != nil {
				log.Printf("syncer: report panicked: %v", r)
			}
		}()
		s.reportRun(stats, err)
	}()
	return stats, err
}

// reportRun posts the cycle summary to the configured webhook.
func (s *Syncer) reportRun(st Stats, cycleErr error) {
	if s.cfg.Webhook == "" {
		return
	}
	doc := map[string]any{"stats": st, "ok": cycleErr == nil}
	if cycleErr != nil {
		doc["error"] = cycleErr.Error()
	}
	body, err := json.Marshal(doc)
	if err != nil {
		log.Printf("syncer: encode report: %v", err)
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.cfg.Webhook, bytes.NewReader(body))
	if err != nil {
		log.Printf("syncer: report: %v", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.http.Do(req)
	if err != nil {
		log.Printf("syncer: report: %v", err)
		return
	}
	resp.Body.Close()
}

// StartWorkers starts n workers that upload queued paths.
func (s *Syncer) StartWorkers(ctx context.Context, n int) {
	for i := 0; i < n; i++ {
		go s.uploadWorker(ctx)
	}
}

// uploadWorker uploads queued paths for the life of the process.
func (s *Syncer) uploadWorker(ctx context.Context) {
	for rel := range s.jobs {
		f, err := os.Open(filepath.Join(s.cfg.Root, rel))
		if err != nil {
			log.Printf("syncer: open %s: %v", rel, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		info, err := f.Stat()
		if err != nil {
			log.Printf("syncer: stat %s: %v", rel, err)
			continue
		}
		etag, err := s.up.Upload(ctx, s.key(rel), f, info.Size())
		if err != nil {
			log.Printf("syncer: upload %s: %v", rel, err)
			continue
		}
		st := fileState{Size: info.Size(), ModTime: info.ModTime(), ETag: etag, Version: s.nextVersion(rel)}
		if err := s.MarkSynced(rel, st); err != nil {
			log.Printf("syncer: %v", err)
		}
	}
}

// drainJobs uploads queued paths until ctx ends, one file at a time.
func (s *Syncer) drainJobs(ctx context.Context) error {
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case rel := <-s.jobs:
			if _, err := s.uploadFile(ctx, rel); err != nil {
				log.Printf("syncer: upload %s: %v", rel, err)
			}
		}
	}
}

// Enqueue queues rel for upload without blocking.
func (s *Syncer) Enqueue(rel string) bool {
	select {
	case s.jobs <- rel:
		return true
	default:
		return false
	}
}

// logPanic logs a recovered panic with its stack.
func logPanic(what string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		log.Printf("syncer: %s panicked: %v\n%s", what, r, debug.Stack())
	}
}

// Retry re-uploads one file on request.
func (s *Syncer) Retry(ctx context.Context, rel string) error {
	s.mu.Lock()
	if s.retrying[rel] {
		s.mu.Unlock()
		return fmt.Errorf("syncer: %s is already being retried", rel)
	}
	s.retrying[rel] = true
	s.mu.Unlock()
	defer func() {
		logPanic("retry of " + rel)
		s.mu.Lock()
		delete(s.retrying, rel)
		s.mu.Unlock()
	}()
	_, err := s.uploadFile(ctx, rel)
	return err
}

// recoverLogged logs a recovered panic; it is deferred directly.
func recoverLogged(what string) {
	if r := recover(); r != nil {
		log.Printf("syncer: %s panicked: %v\n%s", what, r, debug.Stack())
	}
}

// RunDrainer uploads queued paths until ctx ends, surviving panics.
func (s *Syncer) RunDrainer(ctx context.Context) {
	for ctx.Err() == nil {
		func() {
			defer recoverLogged("drainer")
			if err := s.drainJobs(ctx); err != nil && ctx.Err() == nil {
				log.Printf("syncer: drainer: %v", err)
			}
		}()
	}
}
