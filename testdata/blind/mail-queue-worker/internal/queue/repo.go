package queue

import (
	"context"
	"fmt"
	"log"
	"time"

	"example.com/mqworker/internal/store"
)

const jobColumns = "id, tenant, kind, payload, attempts, max_attempts, run_at, leased_by, lease_until, last_error"

// Repo is the job repository on top of the store.
type Repo struct {
	db       *store.DB
	leaseFor time.Duration
	now      func() time.Time
	log      *log.Logger
}

// NewRepo returns a repository whose leases last leaseFor.
func NewRepo(db *store.DB, leaseFor time.Duration, logger *log.Logger) *Repo {
	if leaseFor <= 0 {
		leaseFor = time.Minute
	}
	return &Repo{db: db, leaseFor: leaseFor, now: time.Now, log: logger}
}

func scanJob(rows *store.Rows) (*Job, error) {
	var j Job
	var kind string
	err := rows.Scan(&j.ID, &j.Tenant, &kind, &j.Payload, &j.Attempts, &j.MaxAttempts,
		&j.RunAt, &j.LeasedBy, &j.LeaseUntil, &j.LastError)
	if err != nil {
		return nil, err
	}
	j.Kind = Kind(kind)
	return &j, nil
}

func (r *Repo) audit(id, op string, err error) {
	if err != nil {
		r.log.Printf("queue: %s %s failed: %v", op, id, err)
		return
	}
	r.log.Printf("queue: %s %s ok", op, id)
}

// Enqueue inserts a ready job.
func (r *Repo) Enqueue(ctx context.Context, j *Job) error {
	if j.ID == "" {
		j.ID = NewID()
	}
	if j.RunAt.IsZero() {
		j.RunAt = r.now()
	}
	_, err := r.db.ExecContext(ctx,
		"INSERT INTO jobs (id, tenant, kind, payload, attempts, max_attempts, run_at, leased_by, lease_until, last_error, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		j.ID, j.Tenant, string(j.Kind), j.Payload, 0, j.MaxAttempts, j.RunAt, "", time.Time{}, "", string(StateReady))
	if err != nil {
		return fmt.Errorf("queue: enqueue %s: %w", j.ID, err)
	}
	return nil
}

// Lease claims up to limit due jobs for worker inside one transaction.
func (r *Repo) Lease(ctx context.Context, worker string, limit int) ([]*Job, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()

	now := r.now()
	rows, err := tx.QueryContext(ctx,
		fmt.Sprintf("SELECT %s FROM jobs WHERE state = ? AND run_at <= ? ORDER BY run_at LIMIT %d", jobColumns, limit),
		string(StateReady), now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var jobs []*Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		jobs = append(jobs, j)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	until := now.Add(r.leaseFor)
	for _, j := range jobs {
		_, err := tx.ExecContext(ctx, "UPDATE jobs SET state = ?, leased_by = ?, lease_until = ? WHERE id = ?",
			string(StateLeased), worker, until, j.ID)
		if err != nil {
			return nil, fmt.Errorf("queue: lease %s: %w", j.ID, err)
		}
		j.LeasedBy, j.LeaseUntil = worker, until
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return jobs, nil
}

// Complete marks a leased job done.
func (r *Repo) Complete(ctx context.Context, j *Job) (err error) {
	defer r.audit(j.ID, "complete", err) // HAZ defer-eager-evaluation
	res, err := r.db.ExecContext(ctx, "UPDATE jobs SET state = ?, lease_until = ? WHERE id = ? AND leased_by = ?",
		string(StateDone), time.Time{}, j.ID, j.LeasedBy)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		err = ErrNotLeased
	}
	return err
}

// Fail records a failed attempt and either reschedules the job at next or,
// when dead is true, moves it to the dead state.
func (r *Repo) Fail(ctx context.Context, j *Job, cause error, next time.Time, dead bool) (err error) {
	defer func() { r.audit(j.ID, "fail", err) }()
	state := StateReady
	if dead {
		state = StateDead
	}
	j.Attempts++
	j.LastError = cause.Error()
	res, err := r.db.ExecContext(ctx,
		"UPDATE jobs SET state = ?, attempts = ?, run_at = ?, last_error = ?, leased_by = ? WHERE id = ? AND leased_by = ?",
		string(state), j.Attempts, next, j.LastError, "", j.ID, j.LeasedBy)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotLeased
	}
	return nil
}

// ListDead returns the dead jobs of one tenant.
func (r *Repo) ListDead(ctx context.Context, tenant string) ([]*Job, error) {
	rows, err := r.db.QueryContext(ctx,
		"SELECT "+jobColumns+" FROM jobs WHERE tenant = ? AND state = ? ORDER BY run_at",
		tenant, string(StateDead))
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("queue: list dead for %s: %w", tenant, err)
	}
	var out []*Job
	for rows.Next() {
		j, err := scanJob(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, j)
	}
	return out, rows.Err()
}

// DepthByTenant counts ready jobs per tenant, for the dashboard.
func (r *Repo) DepthByTenant(ctx context.Context, tenants []string) (map[string]int, error) {
	out := make(map[string]int, len(tenants))
	for _, t := range tenants {
		rows, err := r.db.QueryContext(ctx, "SELECT id FROM jobs WHERE tenant = ? AND state = ?", t, string(StateReady))
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		n := 0
		for rows.Next() {
			n++
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

// LeasedByTenant is DepthByTenant for leased jobs; each query's rows are
// released before the next tenant is queried.
func (r *Repo) LeasedByTenant(ctx context.Context, tenants []string) (map[string]int, error) {
	out := make(map[string]int, len(tenants))
	for _, t := range tenants {
		n, err := func() (int, error) {
			rows, err := r.db.QueryContext(ctx, "SELECT id FROM jobs WHERE tenant = ? AND state = ?", t, string(StateLeased))
			if err != nil {
				return 0, err
			}
			defer rows.Close()
			n := 0
			for rows.Next() {
				n++
			}
			return n, rows.Err()
		}()
		if err != nil {
			return nil, fmt.Errorf("queue: leased count for %s: %w", t, err)
		}
		out[t] = n
	}
	return out, nil
}

// Requeue moves dead jobs back to ready, resetting their attempts.
func (r *Repo) Requeue(ctx context.Context, ids []string) (int64, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	var total int64
	now := r.now()
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, "UPDATE jobs SET state = ?, attempts = ?, run_at = ? WHERE id = ? AND state = ?",
			string(StateReady), 0, now, id, string(StateDead))
		if err != nil {
			return 0, fmt.Errorf("queue: requeue %s: %w", id, err)
		}
		n, _ := res.RowsAffected()
		total += n
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return total, nil
}

// ReclaimExpired returns expired leases to the ready state.
func (r *Repo) ReclaimExpired(ctx context.Context) (int64, error) {
	res, err := r.db.ExecContext(ctx, "UPDATE jobs SET state = ?, leased_by = ? WHERE state = ? AND lease_until < ?",
		string(StateReady), "", string(StateLeased), r.now())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// Cancel deletes ready jobs before they run.
func (r *Repo) Cancel(ctx context.Context, ids []string) (int64, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return 0, fmt.Errorf("queue: cancel: %w", err)
	}
	var total int64
	for _, id := range ids {
		res, err := tx.ExecContext(ctx, "DELETE FROM jobs WHERE id = ? AND state = ?", id, string(StateReady))
		if err != nil {
			return 0, err
		}
		n, _ := res.RowsAffected()
		total += n
	}
	return total, tx.Commit()
}

// Reschedule moves a ready job to a new run time.
func (r *Repo) Reschedule(ctx context.Context, id string, at time.Time) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	committed := false
	defer func() error { // HAZ defer-ineffective-return
		if committed {
			return nil
		}
		return tx.Rollback()
	}()
	res, err := tx.ExecContext(ctx, "UPDATE jobs SET run_at = ? WHERE id = ? AND state = ?", at, id, string(StateReady))
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return fmt.Errorf("queue: job %s is not ready", id)
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	committed = true
	return nil
}
