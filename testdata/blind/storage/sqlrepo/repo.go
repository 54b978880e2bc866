// Package sqlrepo is the database/sql repository layer: users, orders,
// schema migrations and a small admin HTTP handler.
package sqlrepo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("sqlrepo: not found")

var errTimeout = errors.New("sqlrepo: query timed out")

// User is a row of the users table.
type User struct {
	ID      int64
	Email   string
	Team    string
	Created time.Time
}

// Repo wraps a *sql.DB with prepared statements and metrics.
type Repo struct {
	db           *sql.DB
	userByID     *sql.Stmt
	linesByOrder *sql.Stmt
	timeout      time.Duration
	logf         func(string, ...any)

	statsMu sync.Mutex
	calls   map[string]int
	fails   map[string]int
}

// New prepares the statements used on hot paths.
func New(ctx context.Context, db *sql.DB, timeout time.Duration, logf func(string, ...any)) (*Repo, error) {
	if logf == nil {
		logf = func(string, ...any) {}
	}
	r := &Repo{db: db, timeout: timeout, logf: logf, calls: map[string]int{}, fails: map[string]int{}}
	var err error
	r.userByID, err = db.PrepareContext(ctx, `SELECT id, email, team, created_at FROM users WHERE id = ?`)
	if err != nil {
		return nil, fmt.Errorf("sqlrepo: prepare userByID: %w", err)
	}
	r.linesByOrder, err = db.PrepareContext(ctx, `SELECT sku, qty, price_cents FROM order_lines WHERE order_id = ? ORDER BY sku`)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("sqlrepo: prepare linesByOrder: %w", err), r.userByID.Close())
	}
	return r, nil
}

// Close releases the prepared statements. It does not close the *sql.DB.
func (r *Repo) Close() error {
	return errors.Join(r.userByID.Close(), r.linesByOrder.Close())
}

func (r *Repo) observe(op string, err error) {
	r.statsMu.Lock()
	defer r.statsMu.Unlock()
	r.calls[op]++
	if err != nil && !errors.Is(err, ErrNotFound) {
		r.fails[op]++
	}
}

// UserByID loads one user.
func (r *Repo) UserByID(ctx context.Context, id int64) (u User, err error) {
	defer func() { r.observe("user_by_id", err) }() // ok: reads the named result at exit
	err = r.userByID.QueryRowContext(ctx, id).Scan(&u.ID, &u.Email, &u.Team, &u.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	return u, err
}

// ListUsers returns up to limit users with id > afterID.
func (r *Repo) ListUsers(ctx context.Context, afterID int64, limit int) ([]User, error) {
	rows, err := r.db.QueryContext(ctx,
		`SELECT id, email, team, created_at FROM users WHERE id > ? ORDER BY id LIMIT ?`, afterID, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: after the error check
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Email, &u.Team, &u.Created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UsersByTeam returns the members of team.
func (r *Repo) UsersByTeam(ctx context.Context, team string) ([]User, error) {
	rows, err := r.db.QueryContext(ctx,
		`SELECT id, email, team, created_at FROM users WHERE team = ? ORDER BY email`, team)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Email, &u.Team, &u.Created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// UpdateEmail changes a user's email address.
func (r *Repo) UpdateEmail(ctx context.Context, id int64, email string) error {
	var err error
	defer r.observe("update_email", err) // HAZ defer-eager-evaluation
	res, err := r.db.ExecContext(ctx, `UPDATE users SET email = ? WHERE id = ?`, email, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		err = ErrNotFound
	}
	return err
}

// DeleteUser removes a user and their sessions.
func (r *Repo) DeleteUser(ctx context.Context, id int64) (err error) {
	defer func() { r.observe("delete_user", err) }()
	return r.InTx(ctx, nil, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil {
			return err
		} else if n == 0 {
			return ErrNotFound
		}
		return nil
	})
}

// InTx runs fn in a transaction, committing if it returns nil and rolling
// back otherwise (including when fn panics, which is re-raised).
func (r *Repo) InTx(ctx context.Context, opts *sql.TxOptions, fn func(*sql.Tx) error) (err error) {
	tx, err := r.db.BeginTx(ctx, opts)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p) // ok: re-raised after cleanup
		}
		if err != nil {
			err = errors.Join(err, tx.Rollback())
			return
		}
		err = tx.Commit()
	}()
	return fn(tx)
}

// WithConn checks out a dedicated connection for fn, e.g. for session
// variables or temporary tables.
func (r *Repo) WithConn(ctx context.Context, fn func(*sql.Conn) error) (err error) {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, conn.Close()) }()
	return fn(conn)
}

// Count returns the number of rows in table, giving up after r.timeout.
func (r *Repo) Count(ctx context.Context, table string) (int64, error) {
	type result struct {
		n   int64
		err error
	}
	ch := make(chan result)
	go func() { // HAZ goroutine-blocked-send
		var n int64
		err := r.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n)
		ch <- result{n, err}
	}()
	select {
	case res := <-ch:
		return res.n, res.err
	case <-time.After(r.timeout):
		return 0, errTimeout
	}
}

// CountFast is Count with a context deadline instead of a racing timer.
func (r *Repo) CountFast(ctx context.Context, table string) (int64, error) {
	ctx, cancel := context.WithTimeout(ctx, r.timeout)
	defer cancel()
	var n int64
	err := r.db.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n)
	if errors.Is(err, context.DeadlineExceeded) {
		return 0, errTimeout
	}
	return n, err
}

// CountAll counts several tables in parallel.
func (r *Repo) CountAll(ctx context.Context, tables []string) (map[string]int64, error) {
	type result struct {
		table string
		n     int64
		err   error
	}
	ch := make(chan result, len(tables)) // ok: buffered for every sender
	for _, t := range tables {
		go func() {
			n, err := r.CountFast(ctx, t)
			ch <- result{t, n, err}
		}()
	}
	out := make(map[string]int64, len(tables))
	for range tables {
		select {
		case res := <-ch:
			if res.err != nil {
				return nil, fmt.Errorf("count %s: %w", res.table, res.err)
			}
			out[res.table] = res.n
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return out, nil
}

// VacuumTables runs VACUUM on each table over a dedicated connection.
func (r *Repo) VacuumTables(ctx context.Context, tables []string) error {
	for _, t := range tables {
		conn, err := r.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close() // HAZ defer-in-loop
		if _, err := conn.ExecContext(ctx, `VACUUM `+t); err != nil {
			return fmt.Errorf("vacuum %s: %w", t, err)
		}
	}
	return nil
}

// AnalyzeTables is VacuumTables done right: one connection per table,
// returned to the pool before the next one is taken.
func (r *Repo) AnalyzeTables(ctx context.Context, tables []string) error {
	for _, t := range tables {
		err := r.WithConn(ctx, func(conn *sql.Conn) error {
			_, err := conn.ExecContext(ctx, `ANALYZE `+t)
			return err
		})
		if err != nil {
			return fmt.Errorf("analyze %s: %w", t, err)
		}
	}
	return nil
}
