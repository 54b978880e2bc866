// Package jobs is the background job system: a queue table polled through
// database/sql, a worker pool and retry policy.
package jobs

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Job states.
const (
	StateQueued  = "queued"
	StateRunning = "running"
	StateDone    = "done"
	StateFailed  = "failed"
)

// ErrNoJob is returned by Claim when nothing is runnable.
var ErrNoJob = errors.New("jobs: no runnable job")

// Job is one row of the jobs table.
type Job struct {
	ID       int64
	Tenant   string
	Kind     string
	Payload  []byte
	State    string
	Attempts int
	RunAt    time.Time
	LastErr  string
}

// Queue is the jobs table.
type Queue struct {
	db  *sql.DB
	now func() time.Time
}

// NewQueue wraps db.
func NewQueue(db *sql.DB) *Queue { return &Queue{db: db, now: time.Now} }

// Enqueue inserts a job runnable at runAt.
func (q *Queue) Enqueue(ctx context.Context, tenant, kind string, payload []byte, runAt time.Time) (int64, error) {
	res, err := q.db.ExecContext(ctx,
		`/* jobs.insert */ INSERT INTO jobs (tenant, kind, payload, run_at) VALUES (?, ?, ?, ?)`,
		tenant, kind, payload, runAt)
	if err != nil {
		return 0, fmt.Errorf("enqueue %s: %w", kind, err)
	}
	return res.LastInsertId()
}

func scanJob(sc interface{ Scan(...any) error }) (Job, error) {
	var j Job
	var attempts int64
	err := sc.Scan(&j.ID, &j.Tenant, &j.Kind, &j.Payload, &j.State, &attempts, &j.RunAt, &j.LastErr)
	j.Attempts = int(attempts)
	return j, err
}

// Claim marks the oldest runnable job as running and returns it.
func (q *Queue) Claim(ctx context.Context, worker string) (*Job, error) {
	row := q.db.QueryRowContext(ctx,
		`/* jobs.claim */ UPDATE jobs SET state='running', worker=? WHERE id = (SELECT id FROM jobs WHERE state='queued' AND run_at <= ? ORDER BY run_at LIMIT 1) RETURNING *`,
		worker, q.now())
	j, err := scanJob(row)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNoJob
	}
	if err != nil {
		return nil, fmt.Errorf("claim: %w", err)
	}
	return &j, nil
}

// Complete marks a job done.
func (q *Queue) Complete(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `/* jobs.set_state */ UPDATE jobs SET state=?, last_error=? WHERE id=?`, StateDone, "", id)
	return err
}

// Retry puts a failed job back in the queue at runAt, or fails it for good.
func (q *Queue) Retry(ctx context.Context, id int64, cause error, runAt time.Time, final bool) error {
	if final {
		_, err := q.db.ExecContext(ctx, `/* jobs.set_state */ UPDATE jobs SET state=?, last_error=? WHERE id=?`, StateFailed, cause.Error(), id)
		return err
	}
	_, err := q.db.ExecContext(ctx, `/* jobs.requeue */ UPDATE jobs SET state='queued', attempts=attempts+1, run_at=?, last_error=? WHERE id=?`, runAt, cause.Error(), id)
	return err
}

// Touch records a heartbeat for a running job.
func (q *Queue) Touch(ctx context.Context, id int64) error {
	_, err := q.db.ExecContext(ctx, `/* jobs.touch */ UPDATE jobs SET heartbeat=? WHERE id=?`, q.now(), id)
	return err
}

// List returns a tenant's jobs in a state ("" for all).
func (q *Queue) List(ctx context.Context, tenant, state string) ([]Job, error) {
	rows, err := q.db.QueryContext(ctx, `/* jobs.list */ SELECT * FROM jobs WHERE tenant=? AND coalesce(nullif(?, ''), state) = state ORDER BY id`, tenant, state)
	if err != nil {
		return nil, fmt.Errorf("list jobs: %w", err)
	}
	defer rows.Close()
	var out []Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// Get returns one job of a tenant.
func (q *Queue) Get(ctx context.Context, tenant string, id int64) (*Job, error) {
	j, err := scanJob(q.db.QueryRowContext(ctx, `/* jobs.get */ SELECT * FROM jobs WHERE tenant=? AND id=?`, tenant, id))
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// CountByState returns the number of jobs per state for the admin dashboard.
func (q *Queue) CountByState(ctx context.Context) (map[string]int, error) {
	rows, err := q.db.QueryContext(ctx, `/* jobs.count_by_state */ SELECT state, COUNT(*) FROM jobs GROUP BY state`)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	out := map[string]int{}
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return nil, err
		}
		out[state] = n
	}
	return out, rows.Err()
}

// Each streams a tenant's jobs to fn and reports the close error of the
// result set as well.
func (q *Queue) Each(ctx context.Context, tenant string, fn func(Job) error) error {
	var err error
	rows, err := q.db.QueryContext(ctx, `/* jobs.list */ SELECT * FROM jobs WHERE tenant=? ORDER BY id`, tenant, "")
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for rows.Next() {
		var j Job
		if j, err = scanJob(rows); err != nil {
			return err
		}
		if err = fn(j); err != nil {
			return err
		}
	}
	err = rows.Err()
	return err
}

// Purge deletes finished jobs older than before inside one transaction.
func (q *Queue) Purge(ctx context.Context, before time.Time) (n int64, err error) {
	tx, err := q.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	res, err := tx.ExecContext(ctx, `/* jobs.purge */ DELETE FROM jobs WHERE state IN ('done','failed') AND run_at < ?`, before)
	if err != nil {
		return 0, err
	}
	if n, err = res.RowsAffected(); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}
