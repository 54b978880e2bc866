package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// User is one row of the users table.
type User struct {
	ID     int64  `json:"id"`
	Email  string `json:"email"`
	Active bool   `json:"active"`
}

// UserByEmail returns the user with the given address.
func (s *Store) UserByEmail(ctx context.Context, email string) (User, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	var u User
	err := s.db.QueryRowContext(ctx,
		"SELECT id, email, active FROM users WHERE email = ?", email).Scan(&u.ID, &u.Email, &u.Active)
	if errors.Is(err, sql.ErrNoRows) {
		return User{}, ErrNotFound
	}
	if err != nil {
		return User{}, fmt.Errorf("store: user %s: %w", email, err)
	}
	return u, nil
}

// ListUsers returns up to limit users.
func (s *Store) ListUsers(ctx context.Context, limit int) ([]User, error) {
	defer s.timed("list_users")()
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id, email, active FROM users LIMIT ?", limit)
	if err != nil {
		return nil, fmt.Errorf("store: list users: %w", err)
	}
	defer rows.Close()
	return scanUsers(rows)
}

// ListActive returns the users that can log in.
func (s *Store) ListActive(ctx context.Context) ([]User, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id, email, active FROM users WHERE active = ?", true)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("store: list active users: %w", err)
	}
	users, err := scanUsers(rows)
	if err != nil {
		return nil, err
	}
	active := users[:0]
	for _, u := range users {
		if u.Active {
			active = append(active, u)
		}
	}
	return active, nil
}

func scanUsers(rows *sql.Rows) ([]User, error) {
	var out []User
	for rows.Next() {
		var u User
		if err := rows.Scan(&u.ID, &u.Email, &u.Active); err != nil {
			return nil, fmt.Errorf("store: scan user: %w", err)
		}
		out = append(out, u)
	}
	return out, rows.Err()
}

// CreateUser inserts an active user and returns its id.
func (s *Store) CreateUser(ctx context.Context, email string) (int64, error) {
	st, err := s.prepared()
	if err != nil {
		return 0, err
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	id := s.nextID.Add(1)
	if _, err := st.insertUser.ExecContext(ctx, id, email, true); err != nil {
		return 0, fmt.Errorf("store: create user %s: %w", email, err)
	}
	return id, nil
}

// DeactivateUsers marks the given users inactive in one transaction and
// returns how many rows changed. The deferred Rollback is a no-op once
// Commit has succeeded.
func (s *Store) DeactivateUsers(ctx context.Context, ids []int64) (int64, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("store: begin: %w", err)
	}
	defer tx.Rollback()

	stmt, err := tx.PrepareContext(ctx, "UPDATE users SET active = ? WHERE id = ?")
	if err != nil {
		return 0, err
	}
	defer stmt.Close()

	var n int64
	for _, id := range ids {
		res, err := stmt.ExecContext(ctx, false, id)
		if err != nil {
			return 0, fmt.Errorf("store: deactivate %d: %w", id, err)
		}
		k, err := res.RowsAffected()
		if err != nil {
			return 0, err
		}
		n += k
	}
	if err := tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: commit: %w", err)
	}
	return n, nil
}
