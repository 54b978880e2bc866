package jobs

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/blindb/platform"
	"example.com/blindb/safe"
)

// Mailer sends notification mails.
type Mailer struct {
	log  *log.Logger
	sent int
}

// Send delivers one mail.
func (m *Mailer) Send(to, subject string) {
	m.log.Printf("mail to %s: %s", to, subject)
}

// Indexer rebuilds search indexes.
type Indexer struct {
	log *log.Logger
}

// Reindex rebuilds the index entries of ids.
func (ix *Indexer) Reindex(ctx context.Context, ids []string) {
	for _, id := range ids {
		if ctx.Err() != nil {
			return
		}
		ix.log.Printf("reindexed %s", id)
	}
}

// Supervisor owns the runner and its helpers.
type Supervisor struct {
	runner *Runner
	log    *log.Logger
	mailer *Mailer
	deps   supervisorDeps
	cfg    SupervisorConfig
	events chan Event
	idle   time.Duration
}

type supervisorDeps struct {
	indexer *Indexer
	leases  *platform.LeaseManager
}

// SupervisorConfig tunes the supervisor.
type SupervisorConfig struct {
	AsyncNotify bool
	Workers     int
}

// User is the owner of a job.
type User struct {
	Name  string
	Email string
}

// heartbeat reports liveness of job id until ctx ends. It has no recover.
func (s *Supervisor) heartbeat(ctx context.Context, id string) {
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.log.Printf("job %s alive", id)
		}
	}
}

// dispatch handles one bus event. It has no recover.
func (s *Supervisor) dispatch(ev Event) {
	s.log.Printf("event %s with %d bytes", ev.Kind, len(ev.Payload))
}

// reapIdle closes idle leases until ctx ends. It has no recover.
func (s *Supervisor) reapIdle(ctx context.Context) {
	t := time.NewTicker(s.idle)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			s.log.Printf("reaping idle leases")
		}
	}
}

// worker consumes events and protects itself with its own recover.
func (s *Supervisor) worker(ctx context.Context, id int) {
	defer safe.Recover(s.log, fmt.Sprintf("worker %d", id))
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.events:
			s.dispatch(ev)
		}
	}
}

// Execute runs job with a liveness heartbeat and converts a panic of the
// job into an error.
func (s *Supervisor) Execute(ctx context.Context, job Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", job.ID, p)
		}
	}()
	hbCtx, stop := context.WithCancel(ctx)
	defer stop()
	go s.heartbeat(hbCtx, job.ID) // HAZ goroutine-outside-recover
	return job.Run(ctx)
}

// ParallelMap applies fn to every input concurrently and turns a panic into
// an error.
func ParallelMap[T, R any](in []T, fn func(T) R) (out []R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parallel map: %v", p)
		}
	}()
	out = make([]R, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			out[i] = fn(v)
		}()
	}
	wg.Wait()
	return out, nil
}

// Loop routes bus events until ctx ends; a panic in the loop is logged.
func (s *Supervisor) Loop(ctx context.Context) {
	defer func() {
		if p := recover(); p != nil {
			s.log.Printf("supervisor loop panicked: %v", p)
		}
	}()
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.events:
			if ev.Kind == "" {
				continue
			}
			go s.dispatch(ev) // HAZ goroutine-outside-recover
		}
	}
}

// ScanSpools processes every spool file in parallel, one goroutine per file.
func (s *Supervisor) ScanSpools(dirs []string, handle func(path string)) (n int, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("scan spools: %v", p)
		}
	}()
	var wg sync.WaitGroup
spools:
	for _, dir := range dirs {
		entries, rerr := os.ReadDir(dir)
		if rerr != nil {
			s.log.Printf("spool %s: %v", dir, rerr)
			continue spools
		}
		for _, e := range entries {
			if e.IsDir() {
				continue
			}
			if filepath.Ext(e.Name()) == ".stop" {
				break spools
			}
			path := filepath.Join(dir, e.Name())
			wg.Add(1)
			n++
			go func() { // HAZ goroutine-outside-recover
				defer wg.Done()
				handle(path)
			}()
		}
	}
	wg.Wait()
	return n, nil
}

// Complete finishes a job and notifies its owner.
func (s *Supervisor) Complete(ctx context.Context, job Job, owner User) error {
	defer safe.Recover(s.log, "complete "+job.ID)
	if err := job.Run(ctx); err != nil {
		return err
	}
	if s.cfg.AsyncNotify {
		if owner.Email != "" {
			go s.mailer.Send(owner.Email, "job "+job.ID+" finished") // HAZ goroutine-outside-recover
		}
	}
	return nil
}

// Reindex rebuilds the indexes after a bulk import.
func (s *Supervisor) Reindex(ctx context.Context, ids []string) error {
	defer func() {
		if p := recover(); p != nil {
			s.log.Printf("reindex panicked: %v", p)
		}
	}()
	if len(ids) == 0 {
		return nil
	}
	go s.deps.indexer.Reindex(context.WithoutCancel(ctx), ids) // HAZ goroutine-outside-recover
	s.log.Printf("reindex of %d ids scheduled", len(ids))
	return nil
}

// Start launches the background maintenance of the supervisor.
func (s *Supervisor) Start(ctx context.Context) {
	defer safe.Recover(s.log, "supervisor start")
	s.log.Printf("starting supervisor with %d workers", s.cfg.Workers)
	go s.reapIdle(ctx) // HAZ goroutine-outside-recover
	s.log.Printf("supervisor started")
}

// RunShards runs a job once per shard and waits for all shards.
func (s *Supervisor) RunShards(ctx context.Context, job Job, shards int) {
	defer s.runner.recoverJob(job.ID)
	var wg sync.WaitGroup
	for shard := range shards {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			shardCtx := context.WithValue(ctx, shardKey{}, shard)
			if err := job.Run(shardCtx); err != nil {
				s.log.Printf("job %s shard %d: %v", job.ID, shard, err)
			}
		}()
	}
	wg.Wait()
}

type shardKey struct{}

// ---- negatives -----------------------------------------------------------

// ExecuteIsolated gives the heartbeat goroutine its own recover.
func (s *Supervisor) ExecuteIsolated(ctx context.Context, job Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", job.ID, p)
		}
	}()
	hbCtx, stop := context.WithCancel(ctx)
	defer stop()
	go func() {
		defer safe.Recover(s.log, "heartbeat "+job.ID) // ok: own recover
		s.heartbeat(hbCtx, job.ID)
	}()
	return job.Run(ctx)
}

// StartWorkers starts workers that defer their own recover.
func (s *Supervisor) StartWorkers(ctx context.Context) {
	defer safe.Recover(s.log, "start workers")
	for i := range s.cfg.Workers {
		go s.worker(ctx, i) // ok: worker defers safe.Recover itself
	}
	s.log.Printf("%d workers started", s.cfg.Workers)
}

// Broadcast has no recover of its own, so the rule does not apply.
func (s *Supervisor) Broadcast(evs []Event) {
	var wg sync.WaitGroup
	for _, ev := range evs {
		wg.Add(1)
		go func() { // ok: the function does not protect itself
			defer wg.Done()
			s.dispatch(ev)
		}()
	}
	wg.Wait()
}

// NotifyOwner uses the safe.Go helper instead of a bare go statement.
func (s *Supervisor) NotifyOwner(ctx context.Context, job Job, owner User) error {
	defer safe.Recover(s.log, "notify "+job.ID)
	if owner.Email == "" {
		return fmt.Errorf("job %s: owner %s has no email", job.ID, owner.Name)
	}
	safe.Go(s.log, "mail "+job.ID, func() { // ok: safe.Go recovers inside the goroutine
		s.mailer.Send(owner.Email, "job "+job.ID+" finished")
	})
	return ctx.Err()
}

// ParallelMapSafe recovers in each goroutine and reports the first panic.
func ParallelMapSafe[T, R any](in []T, fn func(T) R) (out []R, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("parallel map: %v", p)
		}
	}()
	out = make([]R, len(in))
	errs := make([]error, len(in))
	var wg sync.WaitGroup
	for i, v := range in {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() {
				if p := recover(); p != nil {
					errs[i] = fmt.Errorf("item %d: %v", i, p) // ok: per-goroutine recover
				}
			}()
			out[i] = fn(v)
		}()
	}
	wg.Wait()
	for _, e := range errs {
		if e != nil {
			return nil, e
		}
	}
	return out, nil
}

// RunShardsIsolated gives each shard goroutine the runner's recover helper.
func (s *Supervisor) RunShardsIsolated(ctx context.Context, job Job, shards int) {
	defer s.runner.recoverJob(job.ID)
	var wg sync.WaitGroup
	for shard := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer s.runner.recoverJob(fmt.Sprintf("%s/%d", job.ID, shard)) // ok: own recover
			if err := job.Run(ctx); err != nil {
				s.log.Printf("job %s shard %d: %v", job.ID, shard, err)
			}
		}()
	}
	wg.Wait()
}

// loop is started by StartLoop; it defers a guard value itself.
func (s *Supervisor) loop(ctx context.Context) {
	g := guard{name: "supervisor loop", l: s.log}
	defer g.catchPanic()
	s.Loop(ctx)
}

// StartLoop runs the event loop in the background.
func (s *Supervisor) StartLoop(ctx context.Context) {
	defer safe.Recover(s.log, "start loop")
	go s.loop(ctx) // ok: loop has its own deferred recover
	s.log.Printf("event loop started")
}

// WarmCaches warms every cache in the background; each goroutine defers a
// local recover closure directly.
func (s *Supervisor) WarmCaches(ctx context.Context, warmers map[string]func(context.Context)) {
	defer safe.Recover(s.log, "warm caches")
	logPanic := func(name string) {
		if p := recover(); p != nil { // ok: logPanic is the deferred function
			s.log.Printf("warmer %s panicked: %v", name, p)
		}
	}
	for name, warm := range warmers {
		go func() {
			defer logPanic(name) // ok: own recover
			warm(ctx)
		}()
	}
	s.log.Printf("%d warmers started", len(warmers))
}
