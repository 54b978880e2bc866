package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// analyze refreshes the planner statistics of the whole database.
func (s *Store) analyze() {
	if _, err := s.db.ExecContext(context.Background(), "UPDATE pg_stats SET stale = ?", true); err != nil {
		s.logger.Printf("store: analyze: %v", err)
	}
}

// ReindexAll rebuilds the secondary indexes and refreshes statistics
// afterwards, also when a rebuild fails halfway.
func (s *Store) ReindexAll(ctx context.Context, indexes []string) error {
	defer s.analyze() // HAZ defer-blocking-call
	for _, ix := range indexes {
		if err := s.reindex(ctx, ix); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) reindex(ctx context.Context, index string) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	if _, err := s.db.ExecContext(ctx, "UPDATE indexes SET rebuilt = ? WHERE name = ?", true, index); err != nil {
		return fmt.Errorf("store: reindex %s: %w", index, err)
	}
	return nil
}

// RecordLogin writes a login audit row in the background; a failure there
// must never affect the login itself.
func (s *Store) RecordLogin(userID int64) {
	go func() {
		defer recover() // HAZ recover-ineffective
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		defer cancel()
		if _, err := s.db.ExecContext(ctx, "INSERT INTO audit VALUES (?, ?)", "login", userID); err != nil {
			s.logger.Printf("store: audit login %d: %v", userID, err)
		}
	}()
}

// RecordLogout is RecordLogin for logouts, with a working guard: the
// recover runs directly in the deferred function and the panic is logged.
func (s *Store) RecordLogout(userID int64) {
	go func() {
		defer func() {
			if r := recover(); r != nil {
				s.logger.Printf("store: audit logout %d panicked: %v", userID, r)
			}
		}()
		ctx, cancel := context.WithTimeout(context.Background(), s.timeout)
		defer cancel()
		if _, err := s.db.ExecContext(ctx, "INSERT INTO audit VALUES (?, ?)", "logout", userID); err != nil {
			s.logger.Printf("store: audit logout %d: %v", userID, err)
		}
	}()
}

// RenameUser changes a user's email in a transaction.
func (s *Store) RenameUser(ctx context.Context, id int64, email string) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			return fmt.Errorf("store: rollback rename of %d: %w", id, err)
		}
		return nil
	}()
	if _, err := tx.ExecContext(ctx, "UPDATE users SET email = ? WHERE id = ?", email, id); err != nil {
		return err
	}
	return tx.Commit()
}

// ChangeEmail is RenameUser done right: the rollback error reaches the
// caller through the named result.
func (s *Store) ChangeEmail(ctx context.Context, id int64, email string) (err error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			err = errors.Join(err, fmt.Errorf("store: rollback email change of %d: %w", id, rbErr))
		}
	}()
	if _, err = tx.ExecContext(ctx, "UPDATE users SET email = ? WHERE id = ?", email, id); err != nil {
		return err
	}
	return tx.Commit()
}
