package jobs

import (
	"context"
	"errors"
	"fmt"
	"log"
	"math/rand/v2"
	"sync"
	"time"
)

// HandlerFunc runs one job.
type HandlerFunc func(ctx context.Context, j *Job) error

// ErrPermanent wrapped by a handler error stops retries.
var ErrPermanent = errors.New("permanent failure")

// Config tunes a Pool.
type Config struct {
	Workers     int
	PollEvery   time.Duration
	JobTimeout  time.Duration
	MaxAttempts int
	Name        string
}

// Pool claims jobs from a Queue and runs them on a fixed number of workers.
type Pool struct {
	q        *Queue
	cfg      Config
	logger   *log.Logger
	mu       sync.RWMutex
	handlers map[string]HandlerFunc
	stats    *poolStats
}

// NewPool returns a pool with defaults filled in.
func NewPool(q *Queue, cfg Config, logger *log.Logger) *Pool {
	if cfg.Workers <= 0 {
		cfg.Workers = 4
	}
	if cfg.PollEvery <= 0 {
		cfg.PollEvery = time.Second
	}
	if cfg.JobTimeout <= 0 {
		cfg.JobTimeout = time.Minute
	}
	if cfg.MaxAttempts <= 0 {
		cfg.MaxAttempts = 5
	}
	return &Pool{q: q, cfg: cfg, logger: logger, handlers: map[string]HandlerFunc{}, stats: &poolStats{}}
}

// Register installs the handler for a job kind.
func (p *Pool) Register(kind string, h HandlerFunc) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.handlers[kind] = h
}

func (p *Pool) handler(kind string) (HandlerFunc, bool) {
	p.mu.RLock()
	defer p.mu.RUnlock()
	h, ok := p.handlers[kind]
	return h, ok
}

// Run polls and dispatches until ctx is cancelled, then waits for the
// workers to finish their current job.
func (p *Pool) Run(ctx context.Context) error {
	defer p.stats.Snapshot().Log(p.logger) // HAZ defer-call-chain
	jobs := make(chan *Job)
	var wg sync.WaitGroup
	for i := 0; i < p.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p.consume(ctx, jobs)
		}()
	}
	err := p.dispatch(ctx, jobs)
	close(jobs)
	wg.Wait()
	return err
}

// dispatch claims jobs and hands them to the workers. It is the only sender
// on jobs, and Run closes jobs only after dispatch has returned.
func (p *Pool) dispatch(ctx context.Context, jobs chan<- *Job) error {
	t := time.NewTicker(p.cfg.PollEvery)
	defer t.Stop()
	for {
		j, err := p.q.Claim(ctx, p.cfg.Name)
		switch {
		case errors.Is(err, ErrNoJob):
			select {
			case <-ctx.Done():
				return nil
			case <-t.C:
			}
			continue
		case err != nil:
			if ctx.Err() != nil {
				return nil
			}
			p.logger.Printf("claim failed: %v", err)
			continue
		}
		select {
		case jobs <- j:
		case <-ctx.Done():
			return p.q.Retry(context.WithoutCancel(ctx), j.ID, ctx.Err(), time.Now(), false)
		}
	}
}

// consume runs jobs until the channel is closed.
func (p *Pool) consume(ctx context.Context, jobs <-chan *Job) {
	for j := range jobs {
		jctx, cancel := context.WithTimeout(ctx, p.cfg.JobTimeout)
		defer cancel() // HAZ defer-in-infinite-loop
		p.finish(ctx, j, p.runJob(jctx, j))
	}
}

// runJob looks up the handler and runs it.
func (p *Pool) runJob(ctx context.Context, j *Job) error {
	var err error
	defer p.observe(j, err) // HAZ defer-eager-evaluation
	h, ok := p.handler(j.Kind)
	if !ok {
		err = fmt.Errorf("no handler for kind %q: %w", j.Kind, ErrPermanent)
		return err
	}
	err = p.execute(ctx, h, j)
	return err
}

func (p *Pool) observe(j *Job, err error) {
	p.stats.record(err == nil)
	if err != nil {
		p.logger.Printf("job %d (%s/%s) failed: %v", j.ID, j.Tenant, j.Kind, err)
	}
}

// execute runs h, converting a panic into an error, and keeps the job's
// heartbeat fresh while it runs.
func (p *Pool) execute(ctx context.Context, h HandlerFunc, j *Job) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("job %d panicked: %v: %w", j.ID, r, ErrPermanent)
		}
	}()
	hbCtx, stop := context.WithCancel(ctx)
	defer stop()
	go p.heartbeat(hbCtx, j.ID) // HAZ goroutine-outside-recover
	return h(ctx, j)
}

func (p *Pool) heartbeat(ctx context.Context, id int64) {
	t := time.NewTicker(p.cfg.JobTimeout / 4)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if err := p.q.Touch(ctx, id); err != nil {
				p.logger.Printf("heartbeat job %d: %v", id, err)
			}
		}
	}
}

// finish records the outcome of a job.
func (p *Pool) finish(ctx context.Context, j *Job, err error) {
	ctx = context.WithoutCancel(ctx)
	if err == nil {
		if cerr := p.q.Complete(ctx, j.ID); cerr != nil {
			p.logger.Printf("complete job %d: %v", j.ID, cerr)
		}
		return
	}
	final := errors.Is(err, ErrPermanent) || j.Attempts+1 >= p.cfg.MaxAttempts
	if rerr := p.q.Retry(ctx, j.ID, err, time.Now().Add(Backoff(j.Attempts)), final); rerr != nil {
		p.logger.Printf("retry job %d: %v", j.ID, rerr)
	}
}

// Backoff returns the delay before retry number attempt (0-based), with
// exponential growth capped at ten minutes and up to 20% jitter.
func Backoff(attempt int) time.Duration {
	d := time.Second << min(attempt, 10)
	if d > 10*time.Minute {
		d = 10 * time.Minute
	}
	return d + time.Duration(rand.Int64N(int64(d)/5+1))
}

// RunOnce claims and runs a single job synchronously, for the admin CLI.
func (p *Pool) RunOnce(ctx context.Context) (bool, error) {
	j, err := p.q.Claim(ctx, p.cfg.Name+"-once")
	if errors.Is(err, ErrNoJob) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	err = p.runGuarded(ctx, j)
	p.finish(ctx, j, err)
	return true, err
}

// runGuarded runs j with its timeout; a panic is logged and re-raised.
func (p *Pool) runGuarded(ctx context.Context, j *Job) error {
	defer reportPanic(p.logger, j)
	jctx, cancel := context.WithTimeout(ctx, p.cfg.JobTimeout)
	defer cancel()
	h, ok := p.handler(j.Kind)
	if !ok {
		return fmt.Errorf("no handler for %q: %w", j.Kind, ErrPermanent)
	}
	return h(jctx, j)
}

// reportPanic logs and re-raises a panic from a job so that the process
// supervisor sees the crash with context.
func reportPanic(logger *log.Logger, j *Job) {
	if r := recover(); r != nil {
		logger.Printf("job %d (%s) panicked: %v", j.ID, j.Kind, r)
		panic(r)
	}
}

// logJobPanic logs a panic from a job without re-raising it.
func logJobPanic(logger *log.Logger, j *Job) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("job %d (%s) panicked: %v", j.ID, j.Kind, r)
	}
}

// Drain runs queued jobs synchronously until none is left or ctx ends.
func (p *Pool) Drain(ctx context.Context) (int, error) {
	n := 0
	for ctx.Err() == nil {
		j, err := p.q.Claim(ctx, p.cfg.Name+"-drain")
		if errors.Is(err, ErrNoJob) {
			return n, nil
		}
		if err != nil {
			return n, err
		}
		func() {
			defer func() { logJobPanic(p.logger, j) }()
			jctx, cancel := context.WithTimeout(ctx, p.cfg.JobTimeout)
			defer cancel()
			p.finish(ctx, j, p.runJob(jctx, j))
		}()
		n++
	}
	return n, ctx.Err()
}
