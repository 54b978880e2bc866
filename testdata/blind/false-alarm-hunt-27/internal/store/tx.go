package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// InTx runs fn in a transaction. It commits when fn returns nil and rolls
// back otherwise; a panic in fn rolls back and is re-raised.
func (s *Store) InTx(ctx context.Context, fn func(*sql.Tx) error) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("store: begin: %w", err)
	}
	defer func() {
		if p := recover(); p != nil {
			_ = tx.Rollback()
			panic(p)
		}
		if err != nil {
			err = errors.Join(err, ignoreTxDone(tx.Rollback()))
		}
	}()
	if err = fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}

func ignoreTxDone(err error) error {
	if errors.Is(err, sql.ErrTxDone) {
		return nil
	}
	return err
}

// Transfer moves amount between two accounts.
func (s *Store) Transfer(ctx context.Context, from, to, amount int64) error {
	if amount <= 0 {
		return fmt.Errorf("store: transfer of %d", amount)
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	return s.InTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance - ? WHERE id = ?", amount, from); err != nil {
			return fmt.Errorf("debit %d: %w", from, err)
		}
		if _, err := tx.ExecContext(ctx, "UPDATE accounts SET balance = balance + ? WHERE id = ?", amount, to); err != nil {
			return fmt.Errorf("credit %d: %w", to, err)
		}
		_, err := tx.ExecContext(ctx, "INSERT INTO ledger VALUES (?, ?, ?)", from, to, amount)
		return err
	})
}

// BatchInsert inserts rows into table in one transaction.
func (s *Store) BatchInsert(ctx context.Context, table string, rows [][]any) error {
	if len(rows) == 0 {
		return nil
	}
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO "+table+" VALUES (?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i, r := range rows {
		if _, err := stmt.ExecContext(ctx, r...); err != nil {
			return fmt.Errorf("store: insert row %d into %s: %w", i, table, err)
		}
	}
	return tx.Commit()
}

// RefreshStats rebuilds the per-user totals table.
func (s *Store) RefreshStats(ctx context.Context) (err error) {
	span := s.startSpan("refresh_stats")
	defer span.End(err) // HAZ defer-eager-evaluation
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	if _, err = s.db.ExecContext(ctx, "DELETE FROM user_totals"); err != nil {
		return err
	}
	_, err = s.db.ExecContext(ctx, "INSERT INTO user_totals SELECT user_id, SUM(total) FROM orders GROUP BY user_id")
	return err
}

// PurgeSessions deletes expired sessions and reports the outcome on a span.
func (s *Store) PurgeSessions(ctx context.Context) (n int64, err error) {
	span := s.startSpan("purge_sessions")
	defer func() { span.End(err) }()
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	res, err := s.db.ExecContext(ctx, "DELETE FROM sessions WHERE expires < ?", s.nextID.Load())
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
