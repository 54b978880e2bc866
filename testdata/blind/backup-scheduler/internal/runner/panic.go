package runner

import (
	"context"
	"fmt"
	"log"
	"runtime/debug"
	"time"
)

// handlePanic is deferred directly by the goroutines the runner starts; it
// logs a panic with its stack and lets the goroutine end.
func handlePanic(logger *log.Logger, what string) {
	if p := recover(); p != nil {
		logger.Printf("%s panicked: %v\n%s", what, p, debug.Stack())
	}
}

// Go runs fn in a goroutine that recovers its own panics; Wait waits for it.
func (r *Runner) Go(what string, fn func()) {
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer handlePanic(r.log, what)
		fn()
	}()
}

// Supervise runs every job in its own protected goroutine.
func (r *Runner) Supervise(ctx context.Context, jobs []Job) {
	defer handlePanic(r.log, "supervise")
	for _, j := range jobs {
		r.Go("job "+j.Name, func() {
			if err := r.RunJob(ctx, j); err != nil {
				r.log.Printf("job %s: %v", j.Name, err)
			}
		})
	}
}

// StartWatchdog logs every job that has been running longer than limit.
func (r *Runner) StartWatchdog(ctx context.Context, limit time.Duration) {
	defer handlePanic(r.log, "watchdog setup")
	interval := max(limit/4, time.Second)
	go func() {
		defer handlePanic(r.log, "watchdog")
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case now := <-t.C:
				for _, st := range r.Status() {
					if st.Running && now.Sub(st.Started) > limit {
						r.log.Printf("job %s running for %s", st.Job, now.Sub(st.Started).Round(time.Second))
					}
				}
			}
		}
	}()
}

// logPanic counts and logs a recovered panic.
func (r *Runner) logPanic(what string) {
	if p := recover(); p != nil { // HAZ recover-ineffective
		r.metrics.Inc("panics_total")
		r.log.Printf("%s panicked: %v", what, p)
	}
}

// Heartbeat calls beat every interval until ctx is done.
func (r *Runner) Heartbeat(ctx context.Context, interval time.Duration, beat func()) {
	go func() {
		defer func() { r.logPanic("heartbeat") }()
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				beat()
			}
		}
	}()
}

// Probe runs a health check of a job's target. A probe must never take the
// agent down, so it reports false instead of panicking.
func (r *Runner) Probe(ctx context.Context, check func(context.Context) error) (ok bool) {
	defer func() { recover() }() // HAZ recover-swallows-panic
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	return check(ctx) == nil
}

// RunWithProgress runs j and logs its progress every interval while it runs.
func (r *Runner) RunWithProgress(ctx context.Context, j Job, every time.Duration) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", j.Name, p)
		}
	}()
	stop := make(chan struct{})
	defer close(stop)
	go r.reportProgress(j, every, stop) // HAZ goroutine-outside-recover
	return j.Run(ctx)
}

func (r *Runner) reportProgress(j Job, every time.Duration, stop <-chan struct{}) {
	t := time.NewTicker(every)
	defer t.Stop()
	started := time.Now()
	for {
		select {
		case <-stop:
			return
		case now := <-t.C:
			r.log.Printf("job %s still running after %s", j.Name, now.Sub(started).Round(time.Second))
		}
	}
}

// recordPanic counts and logs a recovered panic value, if any.
func (r *Runner) recordPanic(job string, p any) {
	if p == nil {
		return
	}
	r.metrics.Inc("panics_total")
	r.log.Printf("job %s panicked: %v\n%s", job, p, debug.Stack())
}

// RunOnce runs j directly, bypassing the limit and the target lock (used by
// backupctl for a single target).
func (r *Runner) RunOnce(ctx context.Context, j Job) error {
	defer r.recordPanic(j.Name, recover()) // HAZ recover-ineffective
	r.setRunning(j, true, nil)
	err := j.Run(ctx)
	r.setRunning(j, false, err)
	return err
}

// RunWithCleanup runs j and then the optional cleanup.
func (r *Runner) RunWithCleanup(ctx context.Context, j Job, cleanup func()) error {
	if cleanup != nil {
		defer cleanup()
	}
	defer handlePanic(r.log, "job "+j.Name)
	return j.Run(ctx)
}
