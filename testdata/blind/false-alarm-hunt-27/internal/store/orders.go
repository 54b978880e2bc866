package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Order is one row of the orders table.
type Order struct {
	ID     int64     `json:"id"`
	UserID int64     `json:"user_id"`
	Total  int64     `json:"total_cents"`
	Placed time.Time `json:"placed"`
}

// PlaceOrder inserts the order and its audit row atomically.
func (s *Store) PlaceOrder(ctx context.Context, o Order) (id int64, err error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() {
		if err == nil {
			return
		}
		if rbErr := tx.Rollback(); rbErr != nil && !errors.Is(rbErr, sql.ErrTxDone) {
			s.logger.Printf("store: rollback order for user %d: %v", o.UserID, rbErr)
		}
	}()

	st, err := s.prepared()
	if err != nil {
		return 0, err
	}
	id = s.nextID.Add(1)
	if _, err = tx.StmtContext(ctx, st.insertOrder).ExecContext(ctx, id, o.UserID, o.Total, o.Placed); err != nil {
		return 0, fmt.Errorf("store: insert order: %w", err)
	}
	if _, err = tx.ExecContext(ctx, "INSERT INTO audit VALUES (?, ?)", "order", id); err != nil {
		return 0, fmt.Errorf("store: audit order: %w", err)
	}
	if err = tx.Commit(); err != nil {
		return 0, fmt.Errorf("store: commit order: %w", err)
	}
	return id, nil
}

// OrdersForUser lists the orders of one user.
func (s *Store) OrdersForUser(ctx context.Context, userID int64) ([]Order, error) {
	start := time.Now()
	defer s.metrics.Observe("orders_for_user", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id, user_id, total, placed FROM orders WHERE user_id = ?", userID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	return scanOrders(rows)
}

// RecentOrders lists the latest orders across all users.
func (s *Store) RecentOrders(ctx context.Context, limit int) (orders []Order, err error) {
	start := time.Now()
	defer func() { s.metrics.Observe("recent_orders", time.Since(start)) }()
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id, user_id, total, placed FROM orders ORDER BY placed DESC LIMIT ?", limit)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, rows.Close()) }()
	return scanOrders(rows)
}

func scanOrders(rows *sql.Rows) ([]Order, error) {
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.UserID, &o.Total, &o.Placed); err != nil {
			return nil, fmt.Errorf("store: scan order: %w", err)
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// SumTotals returns the sum of a user's order totals. A failing Close is
// reported through the named result.
func (s *Store) SumTotals(ctx context.Context, userID int64) (total int64, err error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT total FROM orders WHERE user_id = ?", userID)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
		total += v
	}
	return total, rows.Err()
}

// CountRows returns the number of rows in table.
func (s *Store) CountRows(ctx context.Context, table string) (int64, error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM "+table)
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	var n int64
	for rows.Next() {
		n++
	}
	err = rows.Err()
	return n, err
}

// SumColumn adds up an integer column. Panics raised by the wire driver on
// corrupted frames are turned into errors.
func (s *Store) SumColumn(ctx context.Context, table, column string) (sum int64, err error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT "+column+" FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	defer func() {
		if r := recover(); r != nil {
			sum, err = 0, fmt.Errorf("store: sum %s.%s: driver panic: %v", table, column, r)
		}
	}()
	for rows.Next() {
		var v int64
		if err := rows.Scan(&v); err != nil {
			return 0, err
		}
		sum += v
	}
	return sum, rows.Err()
}

// CountScanned walks every row of table, like a full-table check, and
// returns how many rows it read.
func (s *Store) CountScanned(ctx context.Context, table string) (n int64, err error) {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// WarmTable reads every row of table once so that the server caches it.
func (s *Store) WarmTable(ctx context.Context, table string) error {
	ctx, cancel := s.withTimeout(ctx)
	defer cancel()
	rows, err := s.db.QueryContext(ctx, "SELECT id FROM "+table)
	if err != nil {
		return err
	}
	defer rows.Close()
	defer func() {
		if r := recover(); r != nil { // HAZ recover-swallows-panic
			// A corrupted frame only means the cache stays cold.
		}
	}()
	for rows.Next() {
	}
	return rows.Err()
}
