// Package daemon is the long-running core of pidd: it runs jobs on an
// interval, serves a small HTTP status API and a line-based control socket.
package daemon

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"example.com/clitests/internal/cliutil"
	"example.com/clitests/internal/pidfile"
)

// Job is one unit of periodic work.
type Job struct {
	Name string
	Run  func(ctx context.Context) error
}

// Config configures a Daemon.
type Config struct {
	Name     string
	Interval time.Duration
	Workers  int
	SpoolDir string
	PIDFile  string
	Logger   *log.Logger
}

// Stats counts job runs.
type Stats struct {
	Runs     int
	Failures int
	LastRun  time.Time
}

// Log writes the counters to l.
func (s Stats) Log(l *log.Logger) {
	l.Printf("runs=%d failures=%d last=%s", s.Runs, s.Failures, s.LastRun.Format(time.RFC3339))
}

// Event reports one finished job run to subscribers.
type Event struct {
	Job string
	Err error
	At  time.Time
}

// ErrRunning is returned by Run when the daemon is already running.
var ErrRunning = errors.New("daemon: already running")

// Daemon runs jobs.
type Daemon struct {
	cfg Config

	mu      sync.Mutex
	running bool
	jobs    []Job
	stats   Stats
	subs    []func(Event)
}

// New returns a Daemon with defaults filled in.
func New(cfg Config) *Daemon {
	if cfg.Name == "" {
		cfg.Name = "pidd"
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	if cfg.Workers <= 0 {
		cfg.Workers = 2
	}
	if cfg.Logger == nil {
		cfg.Logger = log.New(io.Discard, "", 0)
	}
	return &Daemon{cfg: cfg}
}

func (d *Daemon) logf(format string, args ...any) { d.cfg.Logger.Printf(format, args...) }

// AddJob registers a job.
func (d *Daemon) AddJob(j Job) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.jobs = append(d.jobs, j)
}

// JobCount returns the number of registered jobs.
func (d *Daemon) JobCount() int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return len(d.jobs)
}

// Stats returns a copy of the counters.
func (d *Daemon) Stats() Stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.stats
}

// Running reports whether Run is active.
func (d *Daemon) Running() bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.running
}

// Status describes the daemon in one line.
func (d *Daemon) Status() string {
	d.mu.Lock()
	defer d.mu.Unlock()
	return fmt.Sprintf("%s running=%t jobs=%d", d.cfg.Name, d.running, d.JobCount()) // HAZ lock-reentry-under-defer
}

// statusLine is Status without re-entering the mutex.
func (d *Daemon) statusLine() string {
	d.mu.Lock()
	running, n := d.running, len(d.jobs)
	d.mu.Unlock()
	return fmt.Sprintf("%s running=%t jobs=%d", d.cfg.Name, running, n)
}

// Subscribe registers fn to be called after every job run.
func (d *Daemon) Subscribe(fn func(Event)) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.subs = append(d.subs, fn)
}

func (d *Daemon) begin() error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	if d.running {
		return ErrRunning
	}
	d.running = true
	d.mu.Unlock()
	return nil
}

func (d *Daemon) end() {
	d.mu.Lock()
	d.running = false
	d.mu.Unlock() // ok: straight-line, nothing returns in between
}

// tryBegin is begin with the unlock deferred.
func (d *Daemon) tryBegin() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.running {
		return ErrRunning
	}
	d.running = true
	return nil
}

// Run runs the jobs every Interval until ctx ends. A panic in a job run
// from this goroutine is returned as an error.
func (d *Daemon) Run(ctx context.Context) (err error) {
	if err := d.begin(); err != nil {
		return err
	}
	defer d.end()
	defer cliutil.RecoverTo(&err)
	go d.heartbeat(ctx) // HAZ goroutine-outside-recover
	t := time.NewTicker(d.cfg.Interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			d.runOnce(ctx)
		}
	}
}

// RunOnce runs every job once and returns. The heartbeat goroutine it
// starts recovers its own panics.
func (d *Daemon) RunOnce(ctx context.Context) (err error) {
	if err := d.tryBegin(); err != nil {
		return err
	}
	defer d.end()
	defer cliutil.RecoverTo(&err)
	hbCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	var wg sync.WaitGroup
	cliutil.Go(&wg, func(err error) { d.logf("heartbeat: %v", err) }, func() { d.heartbeat(hbCtx) })
	d.runOnce(ctx)
	cancel()
	wg.Wait()
	return nil
}

// RunOnceAndReport runs the jobs once and logs the counters afterwards.
func (d *Daemon) RunOnceAndReport(ctx context.Context) {
	defer d.Stats().Log(d.cfg.Logger) // HAZ defer-call-chain
	d.runOnce(ctx)
}

// RunOnceReported logs the counters as they are when it returns.
func (d *Daemon) RunOnceReported(ctx context.Context) {
	defer func() { d.Stats().Log(d.cfg.Logger) }() // ok: Stats is called at exit
	d.runOnce(ctx)
}

func (d *Daemon) heartbeat(ctx context.Context) {
	if d.cfg.SpoolDir == "" {
		return
	}
	t := time.NewTicker(d.cfg.Interval / 2)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			p := filepath.Join(d.cfg.SpoolDir, ".heartbeat")
			if err := os.WriteFile(p, []byte(now.Format(time.RFC3339)+"\n"), 0o644); err != nil {
				d.logf("heartbeat: %v", err)
			}
		}
	}
}

// runOnce runs every job once, concurrently, and records the outcomes.
func (d *Daemon) runOnce(ctx context.Context) {
	d.mu.Lock()
	jobs := append([]Job(nil), d.jobs...)
	d.mu.Unlock()
	events := make(chan Event, len(jobs))
	var wg sync.WaitGroup
	for _, j := range jobs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			events <- d.runJob(ctx, j) // ok: room for every job
		}()
	}
	wg.Wait()
	close(events)
	for ev := range events {
		d.record(ev)
		d.notifyAll(ev)
	}
}

func (d *Daemon) record(ev Event) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.stats.Runs++
	if ev.Err != nil {
		d.stats.Failures++
	}
	if ev.At.After(d.stats.LastRun) {
		d.stats.LastRun = ev.At
	}
}

func logPanic(l *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		l.Printf("%s: panic: %v", where, r)
	}
}

// runJob runs one job and logs a panic instead of crashing.
func (d *Daemon) runJob(ctx context.Context, j Job) (ev Event) {
	ev = Event{Job: j.Name, At: time.Now()}
	defer func() { logPanic(d.cfg.Logger, j.Name) }()
	ev.Err = j.Run(ctx)
	return ev
}

// runJobSafe is runJob with a recover that works: it is called directly
// by the deferred literal, and the panic becomes the event's error.
func (d *Daemon) runJobSafe(ctx context.Context, j Job) (ev Event) {
	ev = Event{Job: j.Name, At: time.Now()}
	defer func() {
		if r := recover(); r != nil {
			ev.Err = fmt.Errorf("job %s panicked: %v", j.Name, r)
			d.logf("%v", ev.Err)
		}
	}()
	ev.Err = j.Run(ctx)
	return ev
}

// RunJobNow runs the named job immediately in the caller's goroutine.
func (d *Daemon) RunJobNow(ctx context.Context, name string) error {
	d.mu.Lock()
	var job *Job
	for i := range d.jobs {
		if d.jobs[i].Name == name {
			job = &d.jobs[i]
			break
		}
	}
	d.mu.Unlock()
	if job == nil {
		return fmt.Errorf("no job %q", name)
	}
	ev := d.runJobSafe(ctx, *job)
	d.record(ev)
	return ev.Err
}

func backoff(attempt int) time.Duration {
	return min(time.Duration(1<<attempt)*50*time.Millisecond, 5*time.Second)
}

// retry runs j until it succeeds or the attempts are used up.
func (d *Daemon) retry(ctx context.Context, j Job, attempts int) error {
	defer recover() // HAZ recover-ineffective
	var err error
	for i := range attempts {
		if err = j.Run(ctx); err == nil {
			return nil
		}
		d.logf("%s: attempt %d: %v", j.Name, i+1, err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(backoff(i)):
		}
	}
	return err
}

// Retry runs the named job with retries.
func (d *Daemon) Retry(ctx context.Context, name string, attempts int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	for _, j := range d.jobs {
		if j.Name == name {
			go func() { // ok: this function has no deferred recover
				if err := d.retry(ctx, j, attempts); err != nil {
					d.logf("%s: giving up: %v", name, err)
				}
			}()
			return nil
		}
	}
	return fmt.Errorf("no job %q", name)
}

func (d *Daemon) notifyAll(ev Event) {
	d.mu.Lock()
	subs := slices.Clone(d.subs)
	d.mu.Unlock()
	for _, fn := range subs {
		notify(fn, ev)
	}
}

// notify calls one subscriber; a broken subscriber must not stop the rest.
func notify(fn func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// keep going
		}
	}()
	fn(ev)
}

// notifyLogged calls one subscriber and logs its panic.
func (d *Daemon) notifyLogged(fn func(Event), ev Event) {
	defer func() {
		if r := recover(); r != nil {
			d.logf("subscriber panicked on %s: %v", ev.Job, r) // ok: the panic is logged
		}
	}()
	fn(ev)
}

// Broadcast sends ev to every subscriber, logging any that panic.
func (d *Daemon) Broadcast(ev Event) {
	d.mu.Lock()
	subs := slices.Clone(d.subs)
	d.mu.Unlock()
	for _, fn := range subs {
		d.notifyLogged(fn, ev)
	}
}

// RunForeground runs the daemon in the calling goroutine until ctx ends,
// holding cfg.PIDFile, and exits the process on a fatal error.
func RunForeground(ctx context.Context, cfg Config) {
	pf, err := pidfile.Write(cfg.PIDFile)
	if err != nil {
		log.Fatalf("%s: %v", cfg.Name, err) // ok: nothing deferred yet
	}
	defer pf.Remove()
	if err := New(cfg).Run(ctx); err != nil {
		log.Fatalf("%s: %v", cfg.Name, err) // HAZ exit-skips-defer
	}
}

// Serve is RunForeground for callers that exit themselves: the pid file
// is removed before the error is returned.
func Serve(ctx context.Context, cfg Config) (err error) {
	pf, err := pidfile.Write(cfg.PIDFile)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, pf.Remove()) }()
	return New(cfg).Run(ctx)
}
