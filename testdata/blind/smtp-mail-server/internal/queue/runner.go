package queue

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"runtime/debug"
	"sort"
	"sync"
	"time"

	"example.com/mailsrv/internal/metrics"
)

// Store is where the runner finds due messages and records outcomes.
type Store interface {
	Due(now time.Time) ([]Message, error)
	Done(m Message) error
	Reschedule(m Message, cause error) error
}

// Deliverer performs one delivery attempt.
type Deliverer interface {
	Deliver(ctx context.Context, m Message, body io.Reader) error
}

// Bouncer sends a non-delivery report to the sender of m.
type Bouncer interface {
	Bounce(m Message, reason string) error
}

// Config tunes the runner.
type Config struct {
	Workers    int
	PerDomain  int
	MaxAge     time.Duration
	Interval   time.Duration
	Politeness map[string]time.Duration // pause after each connection, per domain
}

// Runner schedules deliveries.
type Runner struct {
	Bouncer Bouncer
	Hooks   []Hook
	Notify  func(Message) // optional: told about every attempt
	Webhook func(Message) // optional: posts redeliveries to an HTTP endpoint

	cfg     Config
	store   Store
	dlv     Deliverer
	limits  *DomainLimiter
	metrics *metrics.Counters
	log     *log.Logger

	retry chan Message
	kick  chan struct{}
	quit  chan struct{}

	mu       sync.Mutex
	inflight map[string]Message
	stopped  bool
	wg       sync.WaitGroup
}

// NewRunner returns a runner; call Start to run it in the background or
// RunOnce for a single pass.
func NewRunner(cfg Config, store Store, dlv Deliverer, m *metrics.Counters, logger *log.Logger) *Runner {
	if cfg.Workers <= 0 {
		cfg.Workers = 1
	}
	if cfg.Interval <= 0 {
		cfg.Interval = time.Minute
	}
	r := &Runner{
		cfg:      cfg,
		store:    store,
		dlv:      dlv,
		metrics:  m,
		log:      logger,
		retry:    make(chan Message, 64),
		kick:     make(chan struct{}, 1),
		quit:     make(chan struct{}),
		inflight: make(map[string]Message),
	}
	if cfg.PerDomain > 0 {
		r.limits = NewDomainLimiter(cfg.PerDomain)
	}
	return r
}

func (r *Runner) track(m Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.inflight[m.ID+"/"+m.Rcpt] = m
}

func (r *Runner) untrack(m Message) {
	r.mu.Lock()
	defer r.mu.Unlock()
	delete(r.inflight, m.ID+"/"+m.Rcpt)
}

func (r *Runner) isInflight(m Message) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	_, ok := r.inflight[m.ID+"/"+m.Rcpt]
	return ok
}

// Inflight returns the deliveries in progress, oldest first.
func (r *Runner) Inflight() []Message {
	r.mu.Lock()
	out := make([]Message, 0, len(r.inflight))
	for _, m := range r.inflight {
		out = append(out, m)
	}
	r.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Received.Before(out[j].Received) })
	return out
}

// attempt opens the spooled body and hands it to the deliverer.
func (r *Runner) attempt(ctx context.Context, m Message) error {
	f, err := os.Open(m.Path)
	if err != nil {
		return fmt.Errorf("queue: body of %s: %w", m.ID, err)
	}
	defer f.Close()
	err = r.dlv.Deliver(ctx, m, f)
	r.runHooks(m, err)
	return err
}

// deliverOne delivers m within the per-domain limit, if any.
func (r *Runner) deliverOne(ctx context.Context, m Message) error {
	defer r.metrics.Time("smtp_delivery")()
	release := func() {}
	if r.limits != nil {
		rel, err := r.limits.Acquire(ctx, m.Domain())
		if err != nil {
			return err
		}
		release = rel
	}
	defer release()
	r.track(m)
	err := r.attempt(ctx, m)
	r.untrack(m)
	return err
}

// runMessage delivers and records the outcome of one message; a panic is
// contained to that message.
func (r *Runner) runMessage(ctx context.Context, m Message) {
	defer r.recoverWorker("delivery of " + m.ID)
	var err error
	if gap, ok := r.cfg.Politeness[m.Domain()]; ok && r.limits != nil {
		err = r.deliverPolite(ctx, m, gap)
	} else {
		err = r.deliverOne(ctx, m)
	}
	r.finish(m, err)
}

// DeliverNow delivers one message immediately (mailctl flush <id>), still
// honouring the per-domain limit when one is configured.
func (r *Runner) DeliverNow(ctx context.Context, m Message) error {
	var release func()
	if r.limits != nil {
		rel, err := r.limits.Acquire(ctx, m.Domain())
		if err != nil {
			return err
		}
		release = rel
	}
	defer release() // HAZ defer-nil-func
	err := r.attempt(ctx, m)
	r.finish(m, err)
	return err
}

// deliverPolite is used for domains of the politeness table, which ask for
// a pause between two connections from us.
func (r *Runner) deliverPolite(ctx context.Context, m Message, gap time.Duration) error {
	release, err := r.limits.Acquire(ctx, m.Domain())
	if err != nil {
		return err
	}
	defer release()
	defer r.pause(gap) // HAZ defer-blocking-call
	return r.attempt(ctx, m)
}

func (r *Runner) pause(gap time.Duration) {
	r.metrics.Add("politeness_wait_ms", gap.Milliseconds())
	time.Sleep(gap)
}

// safeAttempt runs one delivery attempt, turning a panic in a Deliverer
// into an ordinary temporary failure.
func (r *Runner) safeAttempt(ctx context.Context, m Message) (err error) {
	defer func() {
		if p := recover(); p != nil {
			r.log.Printf("queue: panic delivering %s: %v\n%s", m.ID, p, debug.Stack())
			err = fmt.Errorf("queue: delivery of %s panicked: %v", m.ID, p)
		}
	}()
	if r.Webhook != nil {
		go r.Webhook(m) // HAZ goroutine-outside-recover
	}
	return r.attempt(ctx, m)
}

// RunOnce delivers everything that is due now with cfg.Workers workers and
// bounces what expired. It returns when every delivery has finished.
func (r *Runner) RunOnce(ctx context.Context) error {
	defer r.recoverWorker("queue run")
	defer r.metrics.Time("queue_run")()
	due, err := r.store.Due(time.Now())
	if err != nil {
		return err
	}
	defer r.log.Printf("queue: run finished, %d messages were due", len(due))

	work := make(chan Message)
	var wg sync.WaitGroup
	for i := 0; i < r.cfg.Workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer r.recoverWorker("queue worker")
			for m := range work {
				r.runMessage(ctx, m)
			}
		}()
	}
	var expired []Message
	now := time.Now()
	for _, m := range due {
		if m.Expired(now, r.cfg.MaxAge) {
			expired = append(expired, m)
			continue
		}
		work <- m
	}
	close(work)
	wg.Wait()
	r.bounceExpired(expired)
	return nil
}

// finish records the outcome of an attempt in the store.
func (r *Runner) finish(m Message, err error) {
	var perm interface{ Permanent() bool }
	switch {
	case err == nil:
		r.metrics.Inc("delivered")
		if err := r.store.Done(m); err != nil {
			r.log.Printf("queue: %s delivered but not removed: %v", m.ID, err)
		}
	case errors.As(err, &perm) && perm.Permanent():
		r.metrics.Inc("bounced")
		if r.Bouncer != nil {
			if berr := r.Bouncer.Bounce(m, err.Error()); berr != nil {
				r.log.Printf("queue: bounce for %s: %v", m.ID, berr)
			}
		}
		if err := r.store.Done(m); err != nil {
			r.log.Printf("queue: %s bounced but not removed: %v", m.ID, err)
		}
	default:
		r.metrics.Inc("deferred")
		if err := r.store.Reschedule(m, err); err != nil {
			r.log.Printf("queue: reschedule %s: %v", m.ID, err)
		}
	}
}

// RedeliverBatch retries a batch handed back by the admin API; messages
// that expired meanwhile are dropped.
func (r *Runner) RedeliverBatch(ctx context.Context, batch []Message) {
	var wg sync.WaitGroup
	for _, m := range batch {
		wg.Add(1)
		go func(m Message) {
			if m.Expired(time.Now(), r.cfg.MaxAge) {
				r.log.Printf("queue: %s expired after %d attempts", m.ID, m.Attempts)
				return
			}
			r.finish(m, r.safeAttempt(ctx, m))
			wg.Done() // HAZ waitgroup-done-path
		}(m)
	}
	wg.Wait()
}

// bounceExpired sends the non-delivery reports of expired messages.
func (r *Runner) bounceExpired(msgs []Message) {
	if r.Bouncer == nil || len(msgs) == 0 {
		return
	}
	var wg sync.WaitGroup
	for _, m := range msgs {
		wg.Add(1)
		go func(m Message) {
			defer r.recoverWorker("bounce of " + m.ID)
			if err := r.Bouncer.Bounce(m, "message expired in queue"); err != nil {
				r.log.Printf("queue: bounce for %s: %v", m.ID, err)
			}
			if err := r.store.Done(m); err != nil {
				r.log.Printf("queue: remove %s: %v", m.ID, err)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(m)
	}
	wg.Wait()
}

// Start launches the workers, the retry loop and the scheduler, and
// returns immediately. Stop ends them.
func (r *Runner) Start(ctx context.Context) {
	work := make(chan Message)
	r.startWorkers(ctx, r.cfg.Workers, work)
	go r.retryLoop(ctx)
	r.wg.Add(1)
	go func() {
		defer r.wg.Done()
		defer close(work)
		r.feed(ctx, work)
	}()
}

// feed hands due messages to the workers every interval or on Kick.
func (r *Runner) feed(ctx context.Context, work chan<- Message) {
	t := time.NewTicker(r.cfg.Interval)
	defer t.Stop()
	for {
		msgs, err := r.store.Due(time.Now())
		if err != nil {
			r.log.Printf("queue: %v", err)
		}
		for _, m := range msgs {
			if r.isInflight(m) {
				continue
			}
			select {
			case work <- m:
			case <-ctx.Done():
				return
			case <-r.quit:
				return
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-r.quit:
			return
		case <-t.C:
		case <-r.kick:
		}
	}
}

// startWorkers launches n workers reading from work.
func (r *Runner) startWorkers(ctx context.Context, n int, work <-chan Message) {
	for i := 0; i < n; i++ {
		r.wg.Add(1)
		go func() { defer r.wg.Done(); r.worker(ctx, i, work) }() // HAZ loop-var-capture
		r.log.Printf("queue: worker %d started", i)
	}
}

func (r *Runner) worker(ctx context.Context, id int, work <-chan Message) {
	defer r.recoverWorker(fmt.Sprintf("worker %d", id))
	for {
		select {
		case <-ctx.Done():
			return
		case <-r.quit:
			return
		case m, ok := <-work:
			if !ok {
				return
			}
			r.runMessage(ctx, m)
		}
	}
}

// Stop asks the scheduler and the workers to finish and waits for them.
func (r *Runner) Stop() {
	r.mu.Lock()
	defer r.mu.Unlock()
	defer r.wg.Wait() // HAZ defer-blocking-call
	if r.stopped {
		return
	}
	r.stopped = true
	close(r.quit)
}

// ErrStopped is returned by Hold after Stop.
var ErrStopped = errors.New("queue: runner stopped")

// Hold marks m as in flight so that the scheduler leaves it alone until
// Release (mailctl hold).
func (r *Runner) Hold(m Message) error {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if r.stopped {
		return ErrStopped
	}
	r.inflight[m.ID+"/"+m.Rcpt] = m
	r.mu.Unlock()
	return nil
}

// Release undoes Hold.
func (r *Runner) Release(m Message) {
	r.untrack(m)
	r.Kick()
}

// Drain delivers everything that is due now, then logs the counters.
func (r *Runner) Drain(ctx context.Context) error {
	defer r.metrics.Snapshot().LogTo(r.log) // HAZ defer-call-chain
	return r.RunOnce(ctx)
}

// Retry schedules m for an immediate retry; it reports false when the retry
// queue is full.
func (r *Runner) Retry(m Message) bool {
	select {
	case r.retry <- m:
		return true
	default:
		return false
	}
}

// Kick wakes the scheduler up before its next tick.
func (r *Runner) Kick() {
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

// retryLoop serves Retry: it re-opens the spooled body of each message and
// attempts it again right away.
func (r *Runner) retryLoop(ctx context.Context) {
	for m := range r.retry {
		f, err := os.Open(m.Path)
		if err != nil {
			r.log.Printf("queue: retry %s: %v", m.ID, err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		err = r.dlv.Deliver(ctx, m, f)
		r.finish(m, err)
	}
}
