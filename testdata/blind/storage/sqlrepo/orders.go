package sqlrepo

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// Order is a row of the orders table with its lines.
type Order struct {
	ID      int64
	UserID  int64
	Created time.Time
	Lines   []Line
}

// Line is a row of order_lines.
type Line struct {
	SKU        string
	Qty        int
	PriceCents int64
}

// CreateOrder inserts an order and its lines in one transaction.
func (r *Repo) CreateOrder(ctx context.Context, o Order) (int64, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer tx.Rollback() // ok: no-op once Commit has succeeded

	res, err := tx.ExecContext(ctx, `INSERT INTO orders (user_id, created_at) VALUES (?, ?)`, o.UserID, o.Created)
	if err != nil {
		return 0, err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return 0, err
	}
	stmt, err := tx.PrepareContext(ctx, `INSERT INTO order_lines (order_id, sku, qty, price_cents) VALUES (?, ?, ?, ?)`)
	if err != nil {
		return 0, err
	}
	defer stmt.Close() // ok: closes before the deferred Rollback (LIFO)
	for _, l := range o.Lines {
		if _, err := stmt.ExecContext(ctx, id, l.SKU, l.Qty, l.PriceCents); err != nil {
			return 0, fmt.Errorf("order line %s: %w", l.SKU, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return 0, err
	}
	return id, nil
}

// OrderLines returns the lines of one order using the prepared statement.
func (r *Repo) OrderLines(ctx context.Context, orderID int64) ([]Line, error) {
	rows, err := r.linesByOrder.QueryContext(ctx, orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var lines []Line
	for rows.Next() {
		var l Line
		if err := rows.Scan(&l.SKU, &l.Qty, &l.PriceCents); err != nil {
			return nil, err
		}
		lines = append(lines, l)
	}
	return lines, rows.Err()
}

// OrderLinesFor loads the lines of many orders, one query each.
func (r *Repo) OrderLinesFor(ctx context.Context, orderIDs []int64) (map[int64][]Line, error) {
	out := make(map[int64][]Line, len(orderIDs))
	for _, id := range orderIDs {
		lines, err := r.OrderLines(ctx, id) // ok: rows closed inside the callee each time
		if err != nil {
			return nil, fmt.Errorf("order %d: %w", id, err)
		}
		out[id] = lines
	}
	return out, nil
}

// ArchiveOrders moves orders created before cutoff to orders_archive.
func (r *Repo) ArchiveOrders(ctx context.Context, cutoff time.Time) (int64, error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	if _, err = tx.ExecContext(ctx,
		`INSERT INTO orders_archive SELECT * FROM orders WHERE created_at < ?`, cutoff); err != nil {
		return 0, err
	}
	res, err := tx.ExecContext(ctx, `DELETE FROM orders WHERE created_at < ?`, cutoff)
	if err != nil {
		return 0, err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return 0, err
	}
	if err = tx.Commit(); err != nil {
		return 0, err
	}
	return n, nil
}

// PurgeArchive deletes archived orders older than cutoff in batches.
func (r *Repo) PurgeArchive(ctx context.Context, cutoff time.Time, batch int) (int64, error) {
	var total int64
	for {
		n, err := r.purgeBatch(ctx, cutoff, batch)
		total += n
		if err != nil {
			return total, err
		}
		if n < int64(batch) {
			return total, nil
		}
	}
}

func (r *Repo) purgeBatch(ctx context.Context, cutoff time.Time, batch int) (n int64, err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer func() { // ok: err is the named result
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	res, err := tx.ExecContext(ctx,
		`DELETE FROM orders_archive WHERE id IN (SELECT id FROM orders_archive WHERE created_at < ? LIMIT ?)`,
		cutoff, batch)
	if err != nil {
		return 0, err
	}
	if n, err = res.RowsAffected(); err != nil {
		return 0, err
	}
	return n, tx.Commit()
}

// StreamOrders calls fn for each order of a user, newest first, without
// loading them all into memory.
func (r *Repo) StreamOrders(ctx context.Context, userID int64, fn func(Order) error) error {
	rows, err := r.db.QueryContext(ctx,
		`SELECT id, user_id, created_at FROM orders WHERE user_id = ? ORDER BY created_at DESC`, userID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.UserID, &o.Created); err != nil {
			return err
		}
		if err := fn(o); err != nil {
			return err
		}
	}
	return rows.Err()
}
