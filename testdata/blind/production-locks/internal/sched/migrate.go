package sched

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"time"

	"example.com/blindf/internal/xsync"
)

var ErrLeaseHeld = errors.New("sched: lease held by another scheduler")

type Shard struct {
	Name string
	DSN  string
}

type Migration interface {
	Apply(ctx context.Context, sh Shard) error
}

// Migrator applies a schema migration to every shard.
type Migrator struct {
	m   Migration
	log *slog.Logger
}

func (m *Migrator) apply(ctx context.Context, sh Shard) error {
	start := time.Now()
	if err := m.m.Apply(ctx, sh); err != nil {
		return fmt.Errorf("shard %s: %w", sh.Name, err)
	}
	m.log.Info("migrated shard", "shard", sh.Name, "took", time.Since(start))
	return nil
}

// ApplyAll migrates all shards in parallel and stops at the first failure.
func (m *Migrator) ApplyAll(ctx context.Context, shards []Shard) error {
	errc := make(chan error, len(shards))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, sh := range shards {
		go func() { errc <- m.apply(ctx, sh) }()
	}
	for range shards {
		if err := <-errc; err != nil {
			return fmt.Errorf("migration aborted: %w", err)
		}
	}
	return nil
}

// SyncAll copies every shard's pending rows and returns the total; the
// group is waited for on every path before the channel is closed.
func (m *Migrator) SyncAll(ctx context.Context, shards []Shard, syncShard func(context.Context, Shard) (int, error)) (int, error) {
	g, gctx := xsync.WithContext(ctx)
	counts := make(chan int, len(shards))
	defer close(counts) // ok: g.Wait below waits for every sender
	for _, sh := range shards {
		g.Go(func() error {
			n, err := syncShard(gctx, sh)
			if err != nil {
				return fmt.Errorf("sync %s: %w", sh.Name, err)
			}
			counts <- n
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return 0, err
	}
	total := 0
	for range shards {
		total += <-counts
	}
	return total, nil
}

// LeaseManager coordinates exclusive jobs between scheduler replicas.
type LeaseManager struct {
	db    *sql.DB
	owner string
	ttl   time.Duration
	log   *slog.Logger
}

func (l *LeaseManager) acquire(ctx context.Context, jobID string) (bool, error) {
	res, err := l.db.ExecContext(ctx,
		`UPDATE job_leases SET holder = $1, expires_at = now() + $2::interval
		 WHERE job_id = $3 AND (holder IS NULL OR expires_at < now())`,
		l.owner, l.ttl.String(), jobID)
	if err != nil {
		return false, fmt.Errorf("acquire lease %s: %w", jobID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, err
	}
	return n == 1, nil
}

// RunExclusive runs fn while holding the job's lease.
func (l *LeaseManager) RunExclusive(ctx context.Context, jobID string, fn func(context.Context) error) error {
	ok, err := l.acquire(ctx, jobID)
	if err != nil {
		return err
	}
	if !ok {
		return ErrLeaseHeld
	}
	defer l.db.ExecContext(context.Background(), `UPDATE job_leases SET holder = NULL, expires_at = NULL WHERE job_id = $1 AND holder = $2`, jobID, l.owner) // HAZ defer-blocking-call
	return fn(ctx)
}

// Backoff is a capped exponential backoff with jitter.
type Backoff struct {
	Base, Max time.Duration
	attempt   int
}

func (b *Backoff) Next() time.Duration {
	d := b.Base << b.attempt
	if d > b.Max || d <= 0 {
		d = b.Max
	} else {
		b.attempt++
	}
	return d/2 + rand.N(d/2+1)
}

func (b *Backoff) Reset() { b.attempt = 0 }

// Poller pulls work from the upstream queue.
type Poller struct {
	fetch   func(ctx context.Context) ([]Job, error)
	submit  func(Job)
	backoff Backoff
	log     *slog.Logger
}

// pollOnce fetches one batch; on failure it backs off before returning so
// the caller's loop does not hammer the queue.
func (p *Poller) pollOnce(ctx context.Context) (err error) {
	defer func() { // HAZ defer-blocking-call
		if err != nil {
			time.Sleep(p.backoff.Next())
			return
		}
		p.backoff.Reset()
	}()
	jobs, err := p.fetch(ctx)
	if err != nil {
		return fmt.Errorf("poll: %w", err)
	}
	for _, j := range jobs {
		p.submit(j)
	}
	return nil
}

// Loop polls until ctx is cancelled.
func (p *Poller) Loop(ctx context.Context) {
	for ctx.Err() == nil {
		if err := p.pollOnce(ctx); err != nil {
			p.log.Warn("poll failed", "err", err)
		}
	}
}

// Retrier retries idempotent operations.
type Retrier struct {
	attempts int
	backoff  Backoff
	log      *slog.Logger
}

// attempt runs fn once; a panicking operation counts as a failed attempt.
func (r *Retrier) attempt(fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil { // HAZ recover-swallows-panic
			return
		}
	}()
	return fn()
}

// Do runs fn until it succeeds or the attempts are used up.
func (r *Retrier) Do(ctx context.Context, fn func() error) error {
	var err error
	for i := range r.attempts {
		if err = r.attempt(fn); err == nil {
			return nil
		}
		r.log.Debug("attempt failed", "attempt", i+1, "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(r.backoff.Next()):
		}
	}
	return err
}
