package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"time"

	"example.com/fah23/internal/trace"
)

// ErrNotFound is returned for missing users.
var ErrNotFound = errors.New("store: not found")

// ErrInsufficientCredits is returned by TransferCredits.
var ErrInsufficientCredits = errors.New("store: insufficient credits")

// User is a row of the users table.
type User struct {
	ID      int64     `json:"id"`
	Name    string    `json:"name"`
	Email   string    `json:"email"`
	Credits int64     `json:"credits"`
	Created time.Time `json:"created"`
}

const userCols = "id, name, email, credits, created"

// UserByID loads one user.
func (s *Store) UserByID(ctx context.Context, id int64) (User, error) {
	var u User
	err := s.db.QueryRowContext(ctx, "SELECT "+userCols+" FROM users WHERE id = ?", id).
		Scan(&u.ID, &u.Name, &u.Email, &u.Credits, &u.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, fmt.Errorf("%w: user %d", ErrNotFound, id)
	}
	return u, err
}

// ListUsers returns at most limit users.
func (s *Store) ListUsers(ctx context.Context, limit int) ([]User, error) {
	rows, err := s.db.QueryContext(ctx, "SELECT "+userCols+" FROM users")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	users, err := scanUsers(rows, limit)
	if err != nil {
		return nil, err
	}
	return users, rows.Err()
}

func scanUsers(rows *sql.Rows, limit int) ([]User, error) {
	var out []User
	for len(out) < limit && rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Name, &u.Email, &u.Credits, &u.Created); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// UsersByEmail looks users up by e-mail address, skipping unknown ones.
func (s *Store) UsersByEmail(ctx context.Context, emails []string) ([]User, error) {
	stmt, err := s.db.PrepareContext(ctx, "SELECT "+userCols+" FROM users WHERE email = ?")
	defer stmt.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("store: prepare by-email: %w", err)
	}
	var out []User
	for _, e := range emails {
		var u User
		err := stmt.QueryRowContext(ctx, e).Scan(&u.ID, &u.Name, &u.Email, &u.Credits, &u.Created)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}

// UsersByIDs looks users up by id with one prepared statement.
func (s *Store) UsersByIDs(ctx context.Context, ids []int64) (map[int64]User, error) {
	stmt, err := s.db.PrepareContext(ctx, "SELECT "+userCols+" FROM users WHERE id = ?")
	if err != nil {
		return nil, fmt.Errorf("store: prepare by-id: %w", err)
	}
	defer stmt.Close()
	out := make(map[int64]User, len(ids))
	for _, id := range ids {
		var u User
		err := stmt.QueryRowContext(ctx, id).Scan(&u.ID, &u.Name, &u.Email, &u.Credits, &u.Created)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out[id] = u
	}
	return out, nil
}

// CreateUser inserts u and returns its id. The deferred Rollback is a no-op
// once Commit has succeeded.
func (s *Store) CreateUser(ctx context.Context, u User) (int64, error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, "INSERT INTO users (name, email, credits, created) VALUES (?, ?, ?, ?)",
		u.Name, u.Email, u.Credits, time.Now().UTC())
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	if _, err := tx.ExecContext(ctx, "INSERT INTO audit (user_id, action) VALUES (?, ?)", id, "create"); err != nil {
		return 0, err
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return id, nil
}

// TransferCredits moves amount credits between two users atomically.
func (s *Store) TransferCredits(ctx context.Context, from, to, amount int64) error {
	span := trace.Start("store.transfer")
	span.SetAttr("from", strconv.FormatInt(from, 10))
	span.SetAttr("to", strconv.FormatInt(to, 10))
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	var balance int64
	if err = tx.QueryRowContext(ctx, "SELECT credits FROM users WHERE id = ?", from).Scan(&balance); err != nil {
		return err
	}
	if balance < amount {
		err = ErrInsufficientCredits
		return err
	}
	if _, err = tx.ExecContext(ctx, "UPDATE users SET credits = ? WHERE id = ?", balance-amount, from); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, "UPDATE users SET credits = credits + ? WHERE id = ?", amount, to); err != nil {
		return err
	}
	err = tx.Commit()
	return err
}

// RenameUser changes a user's name; the span and the audit line see the
// final error because the deferred closure reads the named result at exit.
func (s *Store) RenameUser(ctx context.Context, id int64, name string) (err error) {
	span := trace.Start("store.rename")
	defer func() {
		span.Finish(err)
		s.audit("rename", id, err)
	}()
	res, err := s.db.ExecContext(ctx, "UPDATE users SET name = ? WHERE id = ?", name, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("%w: user %d", ErrNotFound, id)
	}
	return nil
}

// Counts is a pair of table sizes for the admin overview.
type Counts struct {
	Users, AuditRows int64
}

// UserCounts reads the number of users and of audit rows.
func (s *Store) UserCounts(ctx context.Context) (Counts, error) {
	var c Counts
	rows, err := s.db.QueryContext(ctx, "SELECT COUNT(*) FROM users")
	if err != nil {
		return c, err
	}
	defer rows.Close() // HAZ defer-eager-evaluation
	if rows.Next() {
		if err := rows.Scan(&c.Users); err != nil {
			return c, err
		}
	}
	rows, err = s.db.QueryContext(ctx, "SELECT COUNT(*) FROM audit")
	if err != nil {
		return c, err
	}
	if rows.Next() {
		if err := rows.Scan(&c.AuditRows); err != nil {
			return c, err
		}
	}
	return c, rows.Err()
}

// UpdateEmail changes a user's e-mail address.
func (s *Store) UpdateEmail(ctx context.Context, id int64, email string) error {
	var err error
	defer s.audit("update-email", id, err) // HAZ defer-eager-evaluation
	res, err := s.db.ExecContext(ctx, "UPDATE users SET email = ? WHERE id = ?", email, id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		err = fmt.Errorf("%w: user %d", ErrNotFound, id)
	}
	return err
}

// audit logs the outcome of a user change.
func (s *Store) audit(action string, id int64, err error) {
	if err != nil {
		s.log.Printf("audit: %s user %d failed: %v", action, id, err)
		return
	}
	s.log.Printf("audit: %s user %d ok", action, id)
}

// PurgeUser deletes a user while holding the table lock on one session.
// Lock and unlock must run on the same connection, hence sql.Conn.
func (s *Store) PurgeUser(ctx context.Context, id int64) error {
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "LOCK users"); err != nil {
		return err
	}
	_, derr := conn.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id)
	_, uerr := conn.ExecContext(ctx, "UNLOCK users")
	return errors.Join(derr, uerr)
}

// WithSession runs fn on one dedicated connection, for statements that
// depend on session state.
func (s *Store) WithSession(ctx context.Context, fn func(*sql.Conn) error) error {
	conn, err := s.db.Conn(ctx)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("store: reserve connection: %w", err)
	}
	return fn(conn)
}

// Dashboard is the admin overview.
type Dashboard struct {
	Users  int64
	Recent []User
}

type countResult struct {
	n   int64
	err error
}

// LoadDashboard counts users in the background while it loads the most
// recent ones.
func (s *Store) LoadDashboard(ctx context.Context) (Dashboard, error) {
	countc := make(chan countResult)
	go func() {
		var n int64
		err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
		countc <- countResult{n: n, err: err} // HAZ goroutine-blocked-send
	}()
	recent, err := s.ListUsers(ctx, 10)
	if err != nil {
		return Dashboard{}, err
	}
	c := <-countc
	if c.err != nil {
		return Dashboard{}, c.err
	}
	return Dashboard{Users: c.n, Recent: recent}, nil
}

// LoadDashboardFast is LoadDashboard with a one-slot result channel: the
// counter can always deliver and exit, whether or not it is received.
func (s *Store) LoadDashboardFast(ctx context.Context) (Dashboard, error) {
	countc := make(chan countResult, 1)
	go func() {
		var n int64
		err := s.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
		countc <- countResult{n: n, err: err}
	}()
	recent, err := s.ListUsers(ctx, 10)
	if err != nil {
		return Dashboard{}, err
	}
	c := <-countc
	if c.err != nil {
		return Dashboard{}, c.err
	}
	return Dashboard{Users: c.n, Recent: recent}, nil
}
