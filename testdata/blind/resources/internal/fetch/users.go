package fetch

import (
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"sync"
	"time"
)

// ErrTimeout is returned when the database does not answer in time.
var ErrTimeout = errors.New("users: query timed out")

// User is a row of users.
type User struct {
	ID    int64
	Email string
	Team  string
}

// UserStore is the database/sql access layer for users.
type UserStore struct {
	db    *sql.DB
	locks *LeaseManager
}

// ActiveEmails defers rows.Close before checking the query error; on error
// rows is nil and (*sql.Rows).Close panics.
func (s *UserStore) ActiveEmails(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT email FROM users WHERE active`)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var e string
		if err := rows.Scan(&e); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// ByTeam checks the error with a switch statement that returns on every
// non-nil error before the defer.
func (s *UserStore) ByTeam(ctx context.Context, team string) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, email, team FROM users WHERE team = $1`, team)
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return nil, ErrTimeout
	case err != nil:
		return nil, fmt.Errorf("users by team: %w", err)
	}
	defer rows.Close() // ok: every error path returned above
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Email, &u.Team); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// Rename defers Rollback on a transaction that may be nil.
func (s *UserStore) Rename(ctx context.Context, id int64, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	defer tx.Rollback() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1 WHERE id = $2`, name, id); err != nil {
		return err
	}
	return tx.Commit()
}

// RenameChecked is the usual transaction idiom.
func (s *UserStore) RenameChecked(ctx context.Context, id int64, name string) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("rename %d: %w", id, err)
	}
	defer tx.Rollback() // ok: err checked above; no-op after Commit
	if _, err := tx.ExecContext(ctx, `UPDATE users SET name = $1 WHERE id = $2`, name, id); err != nil {
		return err
	}
	return tx.Commit()
}

// BulkDeactivate defers the statement close before the prepare error check;
// (*sql.Stmt).Close on nil panics.
func (s *UserStore) BulkDeactivate(ctx context.Context, ids []int64) (int64, error) {
	stmt, err := s.db.PrepareContext(ctx, `UPDATE users SET active = false WHERE id = $1`)
	defer stmt.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var total int64
	for _, id := range ids {
		res, err := stmt.ExecContext(ctx, id)
		if err != nil {
			return total, err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// ExportCSV uses a named result: rows is assigned with `=`, checked, and the
// close error is joined into the result.
func (s *UserStore) ExportCSV(ctx context.Context, w io.Writer) (err error) {
	var rows *sql.Rows
	rows, err = s.db.QueryContext(ctx, `SELECT id, email, team FROM users ORDER BY id`)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, rows.Close()) }() // ok: after the check
	cw := csv.NewWriter(w)
	for rows.Next() {
		var u User
		if err = rows.Scan(&u.ID, &u.Email, &u.Team); err != nil {
			return err
		}
		if err = cw.Write([]string{strconv.FormatInt(u.ID, 10), u.Email, u.Team}); err != nil {
			return err
		}
	}
	if err = rows.Err(); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// LeaseManager hands out named in-process leases with an expiry.
type LeaseManager struct {
	held sync.Map // key -> time.Time
}

// Lease is a held lease.
type Lease struct {
	m   *LeaseManager
	key string
}

// Acquire takes a lease for ttl. It returns a nil *Lease on error.
func (m *LeaseManager) Acquire(ctx context.Context, key string, ttl time.Duration) (*Lease, time.Time, error) {
	if err := ctx.Err(); err != nil {
		return nil, time.Time{}, err
	}
	exp := time.Now().Add(ttl)
	if prev, loaded := m.held.LoadOrStore(key, exp); loaded {
		return nil, time.Time{}, fmt.Errorf("lease %s is held until %s", key, prev.(time.Time).Format(time.RFC3339))
	}
	return &Lease{m: m, key: key}, exp, nil
}

// Release drops the lease. It dereferences l.
func (l *Lease) Release() { l.m.held.Delete(l.key) }

// RecomputeQuota takes a lease (three results) and defers its release before
// checking err; Release on the nil *Lease panics.
func (s *UserStore) RecomputeQuota(ctx context.Context, team string) error {
	lease, expires, err := s.locks.Acquire(ctx, "quota/"+team, time.Minute)
	defer lease.Release() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	ctx, cancel := context.WithDeadline(ctx, expires)
	defer cancel()
	_, err = s.db.ExecContext(ctx, `UPDATE teams SET quota = (SELECT count(*) FROM users WHERE team = $1) WHERE name = $1`, team)
	return err
}

// RecomputeQuotaChecked checks err before deferring Release.
func (s *UserStore) RecomputeQuotaChecked(ctx context.Context, team string) error {
	lease, expires, err := s.locks.Acquire(ctx, "quota/"+team, time.Minute)
	if err != nil {
		return err
	}
	defer lease.Release() // ok
	ctx, cancel := context.WithDeadline(ctx, expires)
	defer cancel()
	_, err = s.db.ExecContext(ctx, `UPDATE teams SET quota = (SELECT count(*) FROM users WHERE team = $1) WHERE name = $1`, team)
	return err
}
