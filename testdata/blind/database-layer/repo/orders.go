package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Order is a row of the orders table.
type Order struct {
	ID         int64
	UserID     int64
	Status     string
	TotalCents int64
}

// Item is one line of an order.
type Item struct {
	SKU        string
	Qty        int
	PriceCents int64
}

// OrderRepo reads and writes orders and their items.
type OrderRepo struct {
	db *sql.DB
}

// NewOrderRepo returns a repository over db.
func NewOrderRepo(db *sql.DB) *OrderRepo {
	return &OrderRepo{db: db}
}

func orderTotal(items []Item) int64 {
	var total int64
	for _, it := range items {
		total += int64(it.Qty) * it.PriceCents
	}
	return total
}

// Place inserts an order and its items atomically.
func (r *OrderRepo) Place(ctx context.Context, o *Order, items []Item) (err error) {
	if len(items) == 0 {
		return errors.New("repo: order without items")
	}
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	total := orderTotal(items)
	res, err := tx.ExecContext(ctx,
		"INSERT INTO orders (user_id, status, total_cents) VALUES (?, ?, ?)", o.UserID, "placed", total)
	if err != nil {
		return err
	}
	id, err := res.LastInsertId()
	if err != nil {
		return err
	}
	stmt, err := tx.PrepareContext(ctx,
		"INSERT INTO order_items (order_id, sku, qty, price_cents) VALUES (?, ?, ?, ?)")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, it := range items {
		if _, err = stmt.ExecContext(ctx, id, it.SKU, it.Qty, it.PriceCents); err != nil {
			return fmt.Errorf("repo: item %s: %w", it.SKU, err)
		}
	}
	if err = tx.Commit(); err != nil {
		return err
	}
	o.ID, o.Status, o.TotalCents = id, "placed", total
	return nil
}

// UpdateStatus moves an order to a new status.
func (r *OrderRepo) UpdateStatus(ctx context.Context, id int64, status string) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	res, err := tx.ExecContext(ctx, "UPDATE orders SET status = ? WHERE id = ?", status, id)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		err = ErrNotFound
		return err
	}
	return nil
}

// Cancel marks an order cancelled; the commit error is returned through the
// named result.
func (r *OrderRepo) Cancel(ctx context.Context, id int64) (err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
			return
		}
		err = tx.Commit()
	}()
	res, err := tx.ExecContext(ctx, "UPDATE orders SET status = ? WHERE id = ?", "cancelled", id)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrNotFound
	}
	return nil
}

// ByUser lists a user's orders.
func (r *OrderRepo) ByUser(ctx context.Context, userID int64) ([]Order, error) {
	rows, err := r.db.QueryContext(ctx,
		"SELECT id, user_id, status, total_cents FROM orders WHERE user_id = ?", userID)
	if err != nil {
		return nil, err
	}
	return collect(rows, scanOrder)
}

// Items lists the items of an order.
func (r *OrderRepo) Items(ctx context.Context, orderID int64) ([]Item, error) {
	rows, err := r.db.QueryContext(ctx,
		"SELECT sku, qty, price_cents FROM order_items WHERE order_id = ?", orderID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var items []Item
	for rows.Next() {
		var it Item
		if err := rows.Scan(&it.SKU, &it.Qty, &it.PriceCents); err != nil {
			return nil, err
		}
		items = append(items, it)
	}
	return items, rows.Err()
}

func sumInto(rows *sql.Rows, totals map[string]int64) error {
	for rows.Next() {
		var status string
		var cents int64
		if err := rows.Scan(&status, &cents); err != nil {
			return err
		}
		totals[status] += cents
	}
	return rows.Err()
}

// Totals sums order value per status over live and archived orders.
func (r *OrderRepo) Totals(ctx context.Context) (map[string]int64, error) {
	totals := make(map[string]int64)
	rows, err := r.db.QueryContext(ctx, "SELECT status, total_cents FROM orders")
	if err != nil {
		return nil, err
	}
	defer rows.Close() // HAZ defer-eager-evaluation
	if err := sumInto(rows, totals); err != nil {
		return nil, err
	}
	rows, err = r.db.QueryContext(ctx, "SELECT status, total_cents FROM archived_orders")
	if err != nil {
		return nil, err
	}
	if err := sumInto(rows, totals); err != nil {
		return nil, err
	}
	return totals, nil
}

// LiveTotals sums order value per status with one query per table, each
// closed in its own helper call.
func (r *OrderRepo) LiveTotals(ctx context.Context, tables ...string) (map[string]int64, error) {
	totals := make(map[string]int64)
	for _, t := range tables {
		if err := r.sumTable(ctx, t, totals); err != nil {
			return nil, err
		}
	}
	return totals, nil
}

func (r *OrderRepo) sumTable(ctx context.Context, table string, totals map[string]int64) error {
	rows, err := r.db.QueryContext(ctx, "SELECT status, total_cents FROM "+table)
	if err != nil {
		return err
	}
	defer rows.Close()
	return sumInto(rows, totals)
}

// Archive moves an order into archived_orders.
func (r *OrderRepo) Archive(ctx context.Context, id int64) (err error) {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	o, err := scanOrder(tx.QueryRowContext(ctx,
		"SELECT id, user_id, status, total_cents FROM orders WHERE id = ?", id))
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNotFound
	}
	if err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx,
		"INSERT INTO archived_orders (user_id, status, total_cents) VALUES (?, ?, ?)",
		o.UserID, o.Status, o.TotalCents); err != nil {
		return err
	}
	if _, err = tx.ExecContext(ctx, "DELETE FROM orders WHERE id = ?", id); err != nil {
		return err
	}
	return tx.Commit()
}
