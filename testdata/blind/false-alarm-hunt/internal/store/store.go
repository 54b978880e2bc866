// Package store is a database/sql repository layer.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrInsufficientCredits is returned by TransferCredits.
var ErrInsufficientCredits = errors.New("store: insufficient credits")

// User is a row of the users table.
type User struct {
	ID    int64
	Name  string
	Email string
}

// Migration is one schema step.
type Migration struct {
	Version int
	SQL     string
}

// Store wraps a *sql.DB with a prepared-statement cache.
type Store struct {
	db      *sql.DB
	mu      sync.Mutex
	stmts   map[string]*sql.Stmt
	latency func(op string, d time.Duration)
}

// New returns a Store over db.
func New(db *sql.DB, latency func(op string, d time.Duration)) *Store {
	return &Store{db: db, stmts: make(map[string]*sql.Stmt), latency: latency}
}

// observe receives the start time as a parameter and measures at call time.
func (s *Store) observe(op string, start time.Time) {
	if s.latency != nil {
		s.latency(op, time.Since(start))
	}
}

// ListUsers passes time.Now() to a start-time parameter on purpose.
func (s *Store) ListUsers(ctx context.Context, limit int) ([]User, error) {
	defer s.observe("list_users", time.Now()) // ok: start time is wanted at defer time

	rows, err := s.db.QueryContext(ctx, `SELECT id, name, email FROM users ORDER BY id LIMIT ?`, limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// TransferCredits uses the canonical deferred Rollback: after a successful
// Commit it is a no-op returning sql.ErrTxDone.
func (s *Store) TransferCredits(ctx context.Context, from, to, amount int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: rollback-after-commit is a no-op

	var credits int64
	if err := tx.QueryRowContext(ctx, `SELECT credits FROM accounts WHERE id = ?`, from).Scan(&credits); err != nil {
		return err
	}
	if credits < amount {
		return ErrInsufficientCredits
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET credits = credits - ? WHERE id = ?`, amount, from); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE accounts SET credits = credits + ? WHERE id = ?`, amount, to); err != nil {
		return err
	}
	return tx.Commit()
}

// WithTx runs fn in a transaction. A panic rolls back and is re-raised; an
// error rolls back; success commits.
func WithTx(ctx context.Context, db *sql.DB, fn func(*sql.Tx) error) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p) // ok: re-panic after cleanup
		}
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

// BatchInsert prepares on the tx; the statement closes before the rollback
// (LIFO), which is the right order for a statement over a transaction.
func (s *Store) BatchInsert(ctx context.Context, users []User) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	stmt, err := tx.PrepareContext(ctx, `INSERT INTO users(name, email) VALUES (?, ?)`)
	if err != nil {
		return err
	}
	defer stmt.Close()

	for _, u := range users {
		if _, err := stmt.ExecContext(ctx, u.Name, u.Email); err != nil {
			return fmt.Errorf("insert %s: %w", u.Email, err)
		}
	}
	return tx.Commit()
}

// Migrate applies each migration in its own transaction; the per-iteration
// function literal scopes the deferred Rollback to one iteration.
func Migrate(ctx context.Context, db *sql.DB, migrations []Migration) error {
	for _, m := range migrations {
		err := func() error {
			tx, err := db.BeginTx(ctx, nil)
			if err != nil {
				return err
			}
			defer tx.Rollback()
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations(version) VALUES (?)`, m.Version); err != nil {
				return err
			}
			return tx.Commit()
		}()
		if err != nil {
			return fmt.Errorf("migration %d: %w", m.Version, err)
		}
	}
	return nil
}

// WithAdvisoryLock pins a connection, takes a session lock and releases it
// in a deferred closure bounded by its own timeout, so the release still
// runs (briefly) if ctx has been cancelled.
func (s *Store) WithAdvisoryLock(ctx context.Context, key int64, fn func(context.Context, *sql.Conn) error) (err error) {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()

	if _, err := conn.ExecContext(ctx, `SELECT pg_advisory_lock($1)`, key); err != nil {
		return err
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if _, uerr := conn.ExecContext(uctx, `SELECT pg_advisory_unlock($1)`, key); uerr != nil {
			err = errors.Join(err, uerr)
		}
	}()
	return fn(ctx, conn)
}

// SearchUsers checks the query error with a switch before deferring Close.
func (s *Store) SearchUsers(ctx context.Context, prefix string) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, name, email FROM users WHERE name LIKE ?`, prefix+"%")
	switch {
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return nil, ctx.Err()
	case err != nil:
		return nil, fmt.Errorf("search users: %w", err)
	}
	defer rows.Close()

	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// prepared caches statements under s.mu; PrepareContext does not touch s.mu.
func (s *Store) prepared(ctx context.Context, query string) (*sql.Stmt, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if st, ok := s.stmts[query]; ok {
		return st, nil
	}
	st, err := s.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	s.stmts[query] = st
	return st, nil
}

// UserByEmail uses the cached statement.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	st, err := s.prepared(ctx, `SELECT id, name, email FROM users WHERE email = ?`)
	if err != nil {
		return User{}, err
	}
	var u User
	err = st.QueryRowContext(ctx, email).Scan(&u.ID, &u.Name, &u.Email)
	return u, err
}

// Close closes all cached statements.
func (s *Store) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	var errs []error
	for q, st := range s.stmts {
		errs = append(errs, st.Close())
		delete(s.stmts, q)
	}
	return errors.Join(errs...)
}

// RenameTeam rolls back only on failure and joins a rollback error into the
// named result.
func (s *Store) RenameTeam(ctx context.Context, id int64, name string) (err error) {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		return err
	}
	defer func() {
		if err == nil {
			return
		}
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			err = errors.Join(err, rbErr)
		}
	}()

	res, err := tx.ExecContext(ctx, `UPDATE teams SET name = ? WHERE id = ?`, name, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return sql.ErrNoRows
	}
	return tx.Commit()
}

// Seed opens its own pool; tx is registered after db, so it is rolled back
// before the pool closes.
func Seed(ctx context.Context, driver, dsn string, users []User) error {
	db, err := sql.Open(driver, dsn)
	if err != nil {
		return err
	}
	defer db.Close()

	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()

	for _, u := range users {
		if _, err := tx.ExecContext(ctx, `INSERT INTO users(name, email) VALUES (?, ?)`, u.Name, u.Email); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// StreamIDs streams ids from a goroutine that owns (and closes) the channel.
// The sender selects on ctx.Done; the error channel has room for the single
// error each path sends.
func (s *Store) StreamIDs(ctx context.Context) (<-chan int64, <-chan error) {
	ids := make(chan int64)
	errc := make(chan error, 1)
	go func() {
		defer close(ids)
		rows, err := s.db.QueryContext(ctx, `SELECT id FROM users ORDER BY id`)
		if err != nil {
			errc <- err
			return
		}
		defer rows.Close()
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				errc <- err
				return
			}
			select {
			case ids <- id:
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
		errc <- rows.Err()
	}()
	return ids, errc
}

// CountByStatus closes rows explicitly to surface the Close error; the
// deferred Close covers the early returns.
func (s *Store) CountByStatus(ctx context.Context) (map[string]int, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT status, COUNT(*) FROM orders GROUP BY status`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	out := make(map[string]int)
	for rows.Next() {
		var status string
		var n int
		if err := rows.Scan(&status, &n); err != nil {
			return nil, err
		}
		out[status] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, rows.Close()
}

// ActiveSessions lists session ids that have not expired.
func (s *Store) ActiveSessions(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id FROM sessions WHERE expires_at > CURRENT_TIMESTAMP`)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// DeleteUser removes a user and writes an audit row.
func (s *Store) DeleteUser(ctx context.Context, id int64) error {
	defer s.db.ExecContext(ctx, `INSERT INTO audit_log(action, subject) VALUES ('delete_user', ?)`, id) // HAZ defer-blocking-call
	_, err := s.db.ExecContext(ctx, `DELETE FROM users WHERE id = ?`, id)
	return err
}

// ArchiveProject marks a project archived inside a transaction.
func (s *Store) ArchiveProject(ctx context.Context, id int64) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			if rbErr := tx.Rollback(); rbErr != nil {
				err = errors.Join(err, rbErr)
			}
		}
	}()
	if _, err = tx.ExecContext(ctx, `UPDATE projects SET archived = TRUE WHERE id = ?`, id); err != nil {
		return err
	}
	err = tx.Commit()
	return err
}
