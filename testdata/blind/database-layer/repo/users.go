package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// User is a row of the users table.
type User struct {
	ID     int64
	Email  string
	Name   string
	Active bool
}

const (
	selectUsers       = "SELECT id, email, name, active FROM users"
	selectUserByID    = "SELECT id, email, name, active FROM users WHERE id = ?"
	selectUserByEmail = "SELECT id FROM users WHERE email = ?"
)

// UserRepo reads and writes users.
type UserRepo struct {
	db    *sql.DB
	stmts *StmtCache
}

// NewUserRepo returns a repository over db.
func NewUserRepo(db *sql.DB) *UserRepo {
	return &UserRepo{db: db, stmts: NewStmtCache(db)}
}

// Close releases the prepared statements.
func (r *UserRepo) Close() error {
	return r.stmts.Close()
}

// Create inserts u and sets its ID.
func (r *UserRepo) Create(ctx context.Context, u *User) error {
	if u.Email == "" {
		return errors.New("repo: email is required")
	}
	res, err := r.db.ExecContext(ctx,
		"INSERT INTO users (email, name, active) VALUES (?, ?, ?)", u.Email, u.Name, u.Active)
	if err != nil {
		return fmt.Errorf("repo: create user %s: %w", u.Email, err)
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	u.ID = id
	return nil
}

// Get loads one user.
func (r *UserRepo) Get(ctx context.Context, id int64) (*User, error) {
	stmt, err := r.stmts.Prepare(ctx, selectUserByID)
	if err != nil {
		return nil, err
	}
	u, err := scanUser(stmt.QueryRowContext(ctx, id))
	if errors.Is(err, sql.ErrNoRows) {
		return nil, ErrNotFound
	}
	if err != nil {
		return nil, err
	}
	return &u, nil
}

// List loads every user.
func (r *UserRepo) List(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, selectUsers)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanUsers(rows)
}

// ListActive loads the active users.
func (r *UserRepo) ListActive(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, selectUsers+" WHERE active = ?", true)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("repo: list active users: %w", err)
	}
	return scanUsers(rows)
}

// ListInactive loads the inactive users; rows are closed by collect.
func (r *UserRepo) ListInactive(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, selectUsers+" WHERE active = ?", false)
	if err != nil {
		return nil, fmt.Errorf("repo: list inactive users: %w", err)
	}
	return collect(rows, scanUser)
}

// ListGuarded closes rows through a nil check registered before the error
// check; on failure rows is nil and nothing is called.
func (r *UserRepo) ListGuarded(ctx context.Context) ([]User, error) {
	rows, err := r.db.QueryContext(ctx, selectUsers)
	defer func() {
		if rows != nil {
			rows.Close()
		}
	}()
	if err != nil {
		return nil, err
	}
	return scanUsers(rows)
}

// Rename changes a user's display name.
func (r *UserRepo) Rename(ctx context.Context, id int64, name string) error {
	res, err := r.db.ExecContext(ctx, "UPDATE users SET name = ? WHERE id = ?", name, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return ErrNotFound
	}
	return nil
}

// Delete removes a user.
func (r *UserRepo) Delete(ctx context.Context, id int64) error {
	_, err := r.db.ExecContext(ctx, "DELETE FROM users WHERE id = ?", id)
	return err
}

// Count returns the number of users.
func (r *UserRepo) Count(ctx context.Context) (int, error) {
	var n int
	err := r.db.QueryRowContext(ctx, "SELECT COUNT(*) FROM users").Scan(&n)
	return n, err
}

// Deactivate marks users inactive with one prepared statement.
func (r *UserRepo) Deactivate(ctx context.Context, ids []int64) error {
	stmt, err := r.db.PrepareContext(ctx, "UPDATE users SET active = ? WHERE id = ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, id := range ids {
		if _, err := stmt.ExecContext(ctx, false, id); err != nil {
			return fmt.Errorf("repo: deactivate %d: %w", id, err)
		}
	}
	return nil
}

// LookupEmails returns the email of each id that exists.
func (r *UserRepo) LookupEmails(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, id := range ids {
		rows, err := r.db.QueryContext(ctx, "SELECT id, email FROM users WHERE id = ?", id)
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		if rows.Next() {
			var uid int64
			var email string
			if err := rows.Scan(&uid, &email); err != nil {
				return nil, err
			}
			out[uid] = email
		}
	}
	return out, nil
}

// EmailsByIDs is LookupEmails with each query's rows closed per iteration.
func (r *UserRepo) EmailsByIDs(ctx context.Context, ids []int64) (map[int64]string, error) {
	out := make(map[int64]string, len(ids))
	for _, id := range ids {
		err := func() error {
			rows, err := r.db.QueryContext(ctx, "SELECT id, email FROM users WHERE id = ?", id)
			if err != nil {
				return err
			}
			defer rows.Close()
			if rows.Next() {
				var uid int64
				var email string
				if err := rows.Scan(&uid, &email); err != nil {
					return err
				}
				out[uid] = email
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}

// EmailTaken reports whether a user with email exists.
func (r *UserRepo) EmailTaken(ctx context.Context, email string) (bool, error) {
	if _, err := r.stmts.Prepare(ctx, selectUserByEmail); err != nil {
		return false, err
	}
	defer r.stmts.Cached(selectUserByEmail).Close() // HAZ defer-call-chain
	var id int64
	err := r.stmts.Cached(selectUserByEmail).QueryRowContext(ctx, email).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// IDByEmail looks a user up through the statement cache, which owns the
// statement.
func (r *UserRepo) IDByEmail(ctx context.Context, email string) (int64, error) {
	stmt, err := r.stmts.Prepare(ctx, selectUserByEmail)
	if err != nil {
		return 0, err
	}
	var id int64
	if err := stmt.QueryRowContext(ctx, email).Scan(&id); err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return 0, ErrNotFound
		}
		return 0, err
	}
	return id, nil
}

type loadResult struct {
	user *User
	err  error
}

// LoadMany loads users concurrently, failing fast on the first error.
func (r *UserRepo) LoadMany(ctx context.Context, ids []int64) ([]User, error) {
	ch := make(chan loadResult, len(ids))
	defer close(ch) // HAZ defer-close-chan-with-sender
	for _, id := range ids {
		go func() {
			u, err := r.Get(ctx, id)
			ch <- loadResult{user: u, err: err}
		}()
	}
	users := make([]User, 0, len(ids))
	for range ids {
		select {
		case res := <-ch:
			if res.err != nil {
				return nil, res.err
			}
			users = append(users, *res.user)
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return users, nil
}

// LoadAll loads users concurrently; the buffered channel is never closed,
// so a late sender after an early return only fills the buffer.
func (r *UserRepo) LoadAll(ctx context.Context, ids []int64) ([]User, error) {
	ch := make(chan loadResult, len(ids))
	for _, id := range ids {
		go func() {
			u, err := r.Get(ctx, id)
			ch <- loadResult{user: u, err: err}
		}()
	}
	users := make([]User, 0, len(ids))
	for range ids {
		res := <-ch
		if res.err != nil {
			return nil, res.err
		}
		users = append(users, *res.user)
	}
	return users, nil
}
