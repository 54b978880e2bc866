package runner

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"time"

	"example.com/cirunner/internal/artifact"
	"example.com/cirunner/internal/cache"
	"example.com/cirunner/internal/executor"
	"example.com/cirunner/internal/job"
	"example.com/cirunner/internal/logstream"
	"example.com/cirunner/internal/workspace"
)

// Runner pulls jobs from a queue and runs them, cfg.Workers at a time.
type Runner struct {
	cfg      Config
	queue    Queue
	ws       *workspace.Manager
	exec     *executor.Executor
	cache    *cache.Store
	uploader *artifact.Uploader
	reg      *Registry

	wg       sync.WaitGroup
	draining atomic.Bool

	mu     sync.Mutex
	active map[string]context.CancelFunc
}

// New builds a runner from cfg.
func New(cfg Config, q Queue) (*Runner, error) {
	cfg.setDefaults()
	ws, err := workspace.NewManager(cfg.WorkRoot)
	if err != nil {
		return nil, err
	}
	r := &Runner{
		cfg:    cfg,
		queue:  q,
		ws:     ws,
		exec:   executor.New(os.Environ()),
		reg:    NewRegistry(),
		active: make(map[string]context.CancelFunc),
	}
	if cfg.CacheDir != "" {
		c, err := cache.Open(cfg.CacheDir, cfg.CacheMax)
		if err != nil {
			return nil, err
		}
		r.cache = c
	}
	if cfg.ArtifactURL != "" {
		r.uploader = artifact.NewUploader(cfg.ArtifactURL, cfg.Token, 4)
	}
	return r, nil
}

// Registry exposes the job registry for the status API.
func (r *Runner) Registry() *Registry {
	return r.reg
}

// Run starts the workers and returns when ctx is done. Jobs that are
// already running keep going; call Drain to wait for them.
func (r *Runner) Run(ctx context.Context) error {
	for i := 0; i < r.cfg.Workers; i++ {
		r.wg.Add(1)
		go r.worker(ctx, i)
	}
	<-ctx.Done()
	return ctx.Err()
}

func (r *Runner) worker(ctx context.Context, id int) {
	defer r.wg.Done()
	defer log.Printf("worker %d: stopped", id)
	for ctx.Err() == nil && !r.draining.Load() {
		j, err := r.queue.Next(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return
			}
			log.Printf("worker %d: %v", id, err)
			select {
			case <-ctx.Done():
				return
			case <-time.After(r.cfg.PollBackoff):
			}
			continue
		}
		if j == nil {
			continue
		}
		// A job that was started must finish even when the runner is asked
		// to stop; Drain bounds how long we wait for it.
		if err := r.runOne(context.WithoutCancel(ctx), j); err != nil {
			log.Printf("worker %d: job %s: %v", id, j.ID, err)
			r.reg.SetStatus(j.ID, job.Failed, err)
			if aerr := r.queue.Ack(ctx, j.ID, job.Failed); aerr != nil {
				log.Printf("worker %d: ack %s: %v", id, j.ID, aerr)
			}
		}
	}
}

// runOne runs a single job while keeping its lease alive. A panic in the
// job becomes a failed job instead of taking the runner down.
func (r *Runner) runOne(ctx context.Context, j *job.Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v\n%s", p, debug.Stack())
		}
	}()
	leaseCtx, stopLease := context.WithCancel(ctx)
	defer stopLease()
	go r.keepLease(leaseCtx, j.ID) // HAZ goroutine-outside-recover
	return r.runJob(ctx, j)
}

func (r *Runner) keepLease(ctx context.Context, id string) {
	t := time.NewTicker(r.cfg.LeaseEvery)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := r.queue.Heartbeat(ctx, id); err != nil {
				log.Printf("job %s: heartbeat: %v", id, err)
			}
		}
	}
}

func (r *Runner) track(id string, cancel context.CancelFunc) {
	r.mu.Lock()
	r.active[id] = cancel
	r.mu.Unlock()
}

func (r *Runner) untrack(id string) {
	r.mu.Lock()
	delete(r.active, id)
	r.mu.Unlock()
}

// Cancel cancels one running job.
func (r *Runner) Cancel(id string) bool {
	r.mu.Lock()
	cancel, ok := r.active[id]
	r.mu.Unlock()
	if ok {
		cancel()
	}
	return ok
}

// CancelJobs cancels every listed job that is running here and returns how
// many were found.
func (r *Runner) CancelJobs(ids []string) int {
	n := 0
	for _, id := range ids {
		r.mu.Lock()
		defer r.mu.Unlock() // HAZ defer-in-loop
		if cancel, ok := r.active[id]; ok {
			cancel()
			delete(r.active, id)
			n++
		}
	}
	return n
}

// logDuration logs the time elapsed since start. Deferred as
// defer logDuration(what, time.Now()), it measures the enclosing function.
func logDuration(what string, start time.Time) {
	log.Printf("%s: took %s", what, time.Since(start).Round(time.Millisecond))
}

// runJob runs j in a fresh workspace and removes the workspace afterwards.
func (r *Runner) runJob(ctx context.Context, j *job.Job) error {
	timeout := time.Duration(j.Timeout)
	if timeout <= 0 {
		timeout = r.cfg.JobTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	defer logDuration("job "+j.ID, time.Now())
	r.reg.Add(j)
	r.track(j.ID, cancel)

	ws, err := r.ws.Create(j.ID)
	if err != nil {
		r.untrack(j.ID)
		return fmt.Errorf("create workspace: %w", err)
	}
	err = r.runInWorkspace(ctx, j, ws)
	r.untrack(j.ID)
	if rerr := ws.Remove(); rerr != nil {
		log.Printf("job %s: remove workspace: %v", j.ID, rerr)
	}
	return err
}

func (r *Runner) openJobLog(id string) (io.WriteCloser, error) {
	fs, err := logstream.OpenFile(filepath.Join(r.cfg.LogDir, id+".log"))
	if err != nil {
		return nil, err
	}
	sinks := []io.WriteCloser{fs}
	if r.cfg.LogURL != "" {
		sinks = append(sinks, logstream.NewHTTPSink(r.cfg.LogURL+"/"+url.PathEscape(id), 2*time.Second))
	}
	return logstream.NewMulti(sinks...), nil
}

func (r *Runner) runInWorkspace(ctx context.Context, j *job.Job, ws *workspace.Workspace) (err error) {
	logw, err := r.openJobLog(j.ID)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, logw.Close()) }()

	r.runHooks(j)
	if err := r.checkout(ctx, j, ws); err != nil {
		r.reg.SetStatus(j.ID, job.Failed, err)
		return err
	}
	return r.withCache(j, ws.Src(), func() error {
		var rep *jobReport
		err := r.exec.WithServices(ctx, ws.Src(), j.Services, logw, func(ctx context.Context) error {
			rep = r.runSteps(ctx, j, ws.Src(), logw)
			return rep.Err
		})
		if rep == nil {
			rep = &jobReport{ID: j.ID, Started: time.Now(), Finished: time.Now(), Err: err}
		}
		if uerr := r.uploadArtifacts(ctx, j, ws.Src()); uerr != nil {
			fmt.Fprintf(logw, "[runner] artifact upload failed: %v\n", uerr)
		}
		return r.finishJob(ctx, j, rep)
	})
}

// timed logs how long a phase of a job took. Use as defer r.timed(id, "x")().
func (r *Runner) timed(jobID, phase string) func() {
	start := time.Now()
	return func() {
		log.Printf("job %s: %s took %s", jobID, phase, time.Since(start).Round(time.Millisecond))
	}
}

func (r *Runner) checkout(ctx context.Context, j *job.Job, ws *workspace.Workspace) error {
	defer r.timed(j.ID, "checkout")()
	return r.ws.Checkout(ctx, ws, j.Repo, j.Ref)
}

// withCache restores the job's dependency cache before fn and saves it
// after fn when it was a miss.
func (r *Runner) withCache(j *job.Job, dir string, fn func() error) error {
	var save func()
	if r.cache != nil && len(j.CachePaths) > 0 {
		key, err := cache.KeyFromGlobs("deps", dir, j.CacheKeys)
		if err != nil {
			return err
		}
		hit, err := r.cache.Restore(key, dir)
		if err != nil {
			log.Printf("job %s: cache restore: %v", j.ID, err)
		}
		if !hit {
			save = func() {
				if err := r.cache.Save(key, dir, j.CachePaths); err != nil {
					log.Printf("job %s: cache save: %v", j.ID, err)
				}
			}
		}
	}
	defer save() // HAZ defer-nil-func
	return fn()
}

// runSteps runs the job's steps in order, stopping at the first failure
// that is not allowed.
func (r *Runner) runSteps(ctx context.Context, j *job.Job, dir string, out io.Writer) *jobReport {
	rep := &jobReport{ID: j.ID, Started: time.Now()}
	defer rep.markFinished(time.Now()) // HAZ defer-eager-evaluation
	for _, s := range j.Steps {
		fmt.Fprintf(out, "[runner] step %s: %v\n", s.Name, s.Command)
		res := r.exec.Run(ctx, dir, s, out)
		rep.Steps = append(rep.Steps, res)
		if res.Err != nil && !s.ContinueOnError {
			rep.Err = fmt.Errorf("step %s: %w", s.Name, res.Err)
			break
		}
	}
	return rep
}

func (r *Runner) uploadArtifacts(ctx context.Context, j *job.Job, dir string) error {
	if r.uploader == nil || len(j.Artifacts) == 0 {
		return nil
	}
	defer r.timed(j.ID, "upload") // HAZ defer-func-result-not-called
	files, err := artifact.Collect(dir, j.Artifacts)
	if err != nil {
		return err
	}
	return r.uploader.UploadArchive(ctx, j.Slug()+".tar.gz", dir, files)
}

func logOutcome(id string, err error) {
	if err != nil {
		log.Printf("job %s: finishing failed: %v", id, err)
		return
	}
	log.Printf("job %s: finished", id)
}

// finishJob reports the job's status to the queue and writes its summary.
func (r *Runner) finishJob(ctx context.Context, j *job.Job, rep *jobReport) error {
	var err error
	defer logOutcome(j.ID, err) // HAZ defer-eager-evaluation
	st := rep.status()
	r.reg.SetStatus(j.ID, st, rep.Err)
	r.notifyAll(j, st)
	if err = r.queue.Ack(ctx, j.ID, st); err != nil {
		return fmt.Errorf("ack: %w", err)
	}
	err = logstream.WriteSummary(filepath.Join(r.cfg.LogDir, j.ID+".summary.json"), rep.summary())
	return err
}

func (r *Runner) statePath() string {
	return filepath.Join(r.cfg.StateDir, "state.json")
}

// Drain stops taking new jobs, waits for the running ones (up to ctx) and
// persists the registry so that the next start can report them.
func (r *Runner) Drain(ctx context.Context) error {
	defer r.reg.Snapshot().Save(r.statePath()) // HAZ defer-call-chain
	r.draining.Store(true)
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("drain: %w", ctx.Err())
	}
}

// Close releases the runner's resources.
func (r *Runner) Close() error {
	if r.cache == nil {
		return nil
	}
	return r.cache.Close()
}
