package recon

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"sync"
	"time"

	"example.com/txsvc/internal/obs"
)

// RunPool checks ids with numbered workers; the number shows up in errors.
func (r *Reconciler) RunPool(ctx context.Context, ids []string) ([]Diff, error) {
	jobs := make(chan string)
	var (
		mu    sync.Mutex
		diffs []Diff
		errs  []error
		wg    sync.WaitGroup
	)
	var w int
	for w = 0; w < r.workers; w++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			for id := range jobs {
				d, err := r.check(ctx, id)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("worker %d: %w", w, err))
				} else if d.Delta() != 0 {
					diffs = append(diffs, d)
				}
				mu.Unlock()
			}
		}()
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
	wg.Wait()
	sort.Slice(diffs, func(i, j int) bool { return diffs[i].Account < diffs[j].Account })
	return diffs, errors.Join(errs...)
}

// RunNumbered is RunPool with the worker number passed as an argument.
func (r *Reconciler) RunNumbered(ctx context.Context, ids []string) ([]Diff, error) {
	jobs := make(chan string)
	var (
		mu    sync.Mutex
		diffs []Diff
		errs  []error
		wg    sync.WaitGroup
	)
	var w int
	for w = 0; w < r.workers; w++ {
		wg.Add(1)
		go func(worker int) { // ok: the loop variable is passed by value
			defer wg.Done()
			for id := range jobs {
				d, err := r.check(ctx, id)
				mu.Lock()
				if err != nil {
					errs = append(errs, fmt.Errorf("worker %d: %w", worker, err))
				} else if d.Delta() != 0 {
					diffs = append(diffs, d)
				}
				mu.Unlock()
			}
		}(w)
	}
	for _, id := range ids {
		jobs <- id
	}
	close(jobs)
	wg.Wait()
	return diffs, errors.Join(errs...)
}

// runWorkers drains jobs into out and returns the first check error.
func (r *Reconciler) runWorkers(ctx context.Context, jobs <-chan string, out chan<- Diff) error {
	var wg sync.WaitGroup
	errc := make(chan error, r.workers)
	for i := 0; i < r.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for id := range jobs {
				d, err := r.check(ctx, id)
				if err != nil {
					errc <- err
					wg.Done() // HAZ waitgroup-done-path
					return
				}
				if d.Delta() != 0 {
					out <- d
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// drainWorkers is runWorkers with a single deferred Done per worker.
func (r *Reconciler) drainWorkers(ctx context.Context, jobs <-chan string, out chan<- Diff) error {
	var wg sync.WaitGroup
	errc := make(chan error, r.workers)
	for i := 0; i < r.workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done() // ok: every path, once
			for id := range jobs {
				d, err := r.check(ctx, id)
				if err != nil {
					errc <- err
					return
				}
				if d.Delta() != 0 {
					out <- d
				}
			}
		}()
	}
	wg.Wait()
	close(errc)
	return <-errc
}

// Stream checks ids concurrently and streams the mismatches.
func (r *Reconciler) Stream(ctx context.Context, ids []string) <-chan Diff {
	out := make(chan Diff)
	go r.collect(ctx, ids, out)
	return out
}

func (r *Reconciler) collect(ctx context.Context, ids []string, out chan<- Diff) {
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			d, err := r.check(ctx, id)
			if err != nil {
				r.log.Printf("recon: %s: %v", id, err)
				return
			}
			if d.Delta() != 0 {
				out <- d
			}
		}()
	}
}

// StreamAll is Stream with the channel closed after every checker finished.
func (r *Reconciler) StreamAll(ctx context.Context, ids []string) <-chan Diff {
	out := make(chan Diff)
	go r.collectAll(ctx, ids, out)
	return out
}

func (r *Reconciler) collectAll(ctx context.Context, ids []string, out chan<- Diff) {
	defer close(out) // ok: runs after wg.Wait below
	var wg sync.WaitGroup
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			d, err := r.check(ctx, id)
			if err != nil {
				r.log.Printf("recon: %s: %v", id, err)
				return
			}
			if d.Delta() != 0 {
				out <- d
			}
		}()
	}
	wg.Wait()
}

func (r *Reconciler) progress(stop <-chan struct{}) {
	t := time.NewTicker(10 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-stop:
			return
		case <-t.C:
			r.log.Printf("recon: still running, %d checks so far", r.metrics.Counter("recon.check"))
		}
	}
}

// RunOnce runs one reconciliation and turns a panic into an error.
func (r *Reconciler) RunOnce(ctx context.Context) (diffs []Diff, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("recon: panic: %v", p)
		}
	}()
	stop := make(chan struct{})
	defer close(stop)   // ok: progress only receives
	go r.progress(stop) // HAZ goroutine-outside-recover
	return r.Run(ctx)
}

// RunGuarded is RunOnce whose progress reporter guards itself.
func (r *Reconciler) RunGuarded(ctx context.Context) (diffs []Diff, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("recon: panic: %v", p)
		}
	}()
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		defer r.logPanic("progress") // ok: the goroutine has its own recover
		r.progress(stop)
	}()
	return r.Run(ctx)
}

func (r *Reconciler) logPanic(where string) {
	if p := recover(); p != nil {
		r.log.Printf("recon: panic in %s: %v", where, p)
	}
}

// job runs one step of the schedule; a failing step must not stop the rest.
func (r *Reconciler) job(ctx context.Context, name string, fn func(context.Context) error) error {
	defer recover() // HAZ recover-ineffective
	r.metrics.Inc("recon.job." + name)
	return fn(ctx)
}

// safeJob is job with a working recover.
func (r *Reconciler) safeJob(ctx context.Context, name string, fn func(context.Context) error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("job %s panicked: %v", name, p)
		}
	}()
	r.metrics.Inc("recon.job." + name)
	return fn(ctx)
}

// throttled runs fn and then waits out the cooldown so the primary is not hammered.
func (r *Reconciler) throttled(ctx context.Context, fn func(context.Context) error) error {
	defer time.Sleep(r.cooldown) // HAZ defer-blocking-call
	return fn(ctx)
}

// paced runs fn and then waits out the cooldown unless ctx ends first.
func (r *Reconciler) paced(ctx context.Context, fn func(context.Context) error) error {
	err := fn(ctx)
	t := time.NewTimer(r.cooldown)
	defer t.Stop()
	select {
	case <-t.C:
	case <-ctx.Done():
	}
	return err
}

// Schedule runs the named steps in order.
func (r *Reconciler) Schedule(ctx context.Context, steps map[string]func(context.Context) error, strict bool) error {
	names := make([]string, 0, len(steps))
	for n := range steps {
		names = append(names, n)
	}
	sort.Strings(names)
	var errs []error
	for _, n := range names {
		fn := steps[n]
		var err error
		if strict {
			err = r.paced(ctx, func(ctx context.Context) error { return r.safeJob(ctx, n, fn) })
		} else {
			err = r.throttled(ctx, func(ctx context.Context) error { return r.job(ctx, n, fn) })
		}
		if err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// Request asks for an on-demand check of one account.
type Request struct {
	Account string
	Reply   chan<- Reply
}

// Reply answers a Request.
type Reply struct {
	Diff Diff
	Err  error
}

// Serve answers requests until reqs is closed.
func (r *Reconciler) Serve(ctx context.Context, reqs <-chan Request) {
	for req := range reqs {
		tx, err := r.db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
		if err != nil {
			req.Reply <- Reply{Err: err}
			continue
		}
		defer tx.Rollback() // HAZ defer-in-infinite-loop
		d := Diff{Account: req.Account, Entries: r.opening[req.Account]}
		err = tx.QueryRowContext(ctx, sqlBalance, req.Account).Scan(&d.Balance)
		if err == nil {
			var sums map[string]int64
			if sums, err = entrySumsSafe(ctx, tx); err == nil {
				d.Entries += sums[req.Account]
			}
		}
		req.Reply <- Reply{Diff: d, Err: err}
	}
}

// ServeEach is Serve with one transaction per request, each closed in its own call.
func (r *Reconciler) ServeEach(ctx context.Context, reqs <-chan Request) {
	for req := range reqs {
		d, err := r.check(ctx, req.Account) // ok: rollback deferred inside check
		select {
		case req.Reply <- Reply{Diff: d, Err: err}:
		case <-ctx.Done():
			return
		}
	}
}

func entrySumsSafe(ctx context.Context, tx *sql.Tx) (map[string]int64, error) {
	rows, err := tx.QueryContext(ctx, sqlSumEntries)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanSums(rows)
}

// Daily runs the nightly comparison and the expectations check.
func (r *Reconciler) Daily(ctx context.Context, expectPaths []string) ([]Diff, error) {
	defer obs.Timer(r.log, "recon.daily") // HAZ defer-func-result-not-called
	diffs, err := r.Nightly(ctx)
	if err != nil {
		return nil, err
	}
	exp, err := LoadExpectations(expectPaths)
	if err != nil {
		return diffs, err
	}
	return append(diffs, r.compare(ctx, exp)...), nil
}

// DailyTimed is Daily with the timer actually stopped at exit.
func (r *Reconciler) DailyTimed(ctx context.Context, expectPaths []string) ([]Diff, error) {
	defer obs.Timer(r.log, "recon.daily")() // ok: f()() idiom
	diffs, err := r.Nightly(ctx)
	if err != nil {
		return nil, err
	}
	exp, err := LoadExpectationsEach(expectPaths)
	if err != nil {
		return diffs, err
	}
	return append(diffs, r.compare(ctx, exp)...), nil
}

func (r *Reconciler) compare(ctx context.Context, exp map[string]int64) []Diff {
	ids := make([]string, 0, len(exp))
	for id := range exp {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	var out []Diff
	for _, id := range ids {
		var bal int64
		if err := r.db.QueryRowContext(ctx, sqlBalance, id).Scan(&bal); err != nil {
			r.log.Printf("recon: expected account %s: %v", id, err)
			continue
		}
		if bal != exp[id] {
			out = append(out, Diff{Account: id, Balance: bal, Entries: exp[id]})
		}
	}
	return out
}
