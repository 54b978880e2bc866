package batch

import (
	"context"
	"database/sql"
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// OrderRepo is the SQL access layer for orders.
type OrderRepo struct {
	db *sql.DB
}

// NewOrderRepo wraps an open database handle.
func NewOrderRepo(db *sql.DB) *OrderRepo { return &OrderRepo{db: db} }

// LineItem is one row of line_items.
type LineItem struct {
	SKU string
	Qty int
}

// Order is one row of orders.
type Order struct {
	ID     int64
	Status string
}

// LoadLineItems runs one query per order and defers every Rows.Close until
// the end: each open *sql.Rows pins a pooled connection.
func (r *OrderRepo) LoadLineItems(ctx context.Context, orderIDs []int64) (map[int64][]LineItem, error) {
	out := make(map[int64][]LineItem, len(orderIDs))
	for _, id := range orderIDs {
		rows, err := r.db.QueryContext(ctx, `SELECT sku, qty FROM line_items WHERE order_id = $1`, id)
		if err != nil {
			return nil, fmt.Errorf("line items of %d: %w", id, err)
		}
		defer rows.Close() // HAZ defer-in-loop
		for rows.Next() {
			var li LineItem
			if err := rows.Scan(&li.SKU, &li.Qty); err != nil {
				return nil, err
			}
			out[id] = append(out[id], li)
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// LoadLineItemsScoped closes every result set before the next query.
func (r *OrderRepo) LoadLineItemsScoped(ctx context.Context, orderIDs []int64) (map[int64][]LineItem, error) {
	out := make(map[int64][]LineItem, len(orderIDs))
	for _, id := range orderIDs {
		items, err := r.lineItems(ctx, id)
		if err != nil {
			return nil, fmt.Errorf("line items of %d: %w", id, err)
		}
		out[id] = items
	}
	return out, nil
}

func (r *OrderRepo) lineItems(ctx context.Context, id int64) ([]LineItem, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT sku, qty FROM line_items WHERE order_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: single query per call
	var items []LineItem
	for rows.Next() {
		var li LineItem
		if err := rows.Scan(&li.SKU, &li.Qty); err != nil {
			return nil, err
		}
		items = append(items, li)
	}
	return items, rows.Err()
}

// ListOrders defers Rows.Close once, before the `for rows.Next()` loop.
func (r *OrderRepo) ListOrders(ctx context.Context, status string) ([]Order, error) {
	rows, err := r.db.QueryContext(ctx, `SELECT id, status FROM orders WHERE status = $1`, status)
	if err != nil {
		return nil, err
	}
	defer rows.Close() // ok: the loop below iterates rows, the defer is outside it
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Status); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// ExportPages pages through the orders table with a three-clause loop; every
// page's result set stays open until the export finishes.
func (r *OrderRepo) ExportPages(ctx context.Context, w io.Writer, pageSize, pages int) error {
	cw := csv.NewWriter(w)
	for page := 0; page < pages; page++ {
		rows, err := r.db.QueryContext(ctx,
			`SELECT id, status FROM orders ORDER BY id LIMIT $1 OFFSET $2`, pageSize, page*pageSize)
		if err != nil {
			return err
		}
		defer rows.Close() // HAZ defer-in-loop
		for rows.Next() {
			var o Order
			if err := rows.Scan(&o.ID, &o.Status); err != nil {
				return err
			}
			if err := cw.Write([]string{strconv.FormatInt(o.ID, 10), o.Status}); err != nil {
				return err
			}
		}
		if err := rows.Err(); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// CountPerTenant checks out a dedicated connection per tenant to set the
// search path. With SetMaxOpenConns(n) and more than n tenants this blocks
// forever, because no connection goes back to the pool before the return.
func (r *OrderRepo) CountPerTenant(ctx context.Context, tenants []string) (map[string]int, error) {
	out := make(map[string]int, len(tenants))
	for _, t := range tenants {
		conn, err := r.db.Conn(ctx)
		if err != nil {
			return nil, err
		}
		defer conn.Close() // HAZ defer-in-loop
		if _, err := conn.ExecContext(ctx, `SELECT set_config('search_path', $1, false)`, t); err != nil {
			return nil, err
		}
		var n int
		if err := conn.QueryRowContext(ctx, `SELECT count(*) FROM orders`).Scan(&n); err != nil {
			return nil, err
		}
		out[t] = n
	}
	return out, nil
}

// CountPerShard iterates over an integer range (Go 1.22) and leaks one
// result set per shard until the function returns.
func (r *OrderRepo) CountPerShard(ctx context.Context, shards int) ([]int, error) {
	counts := make([]int, shards)
	for shard := range shards {
		rows, err := r.db.QueryContext(ctx, `SELECT status FROM orders WHERE shard = $1`, shard)
		if err != nil {
			return nil, err
		}
		defer rows.Close() // HAZ defer-in-loop
		for rows.Next() {
			counts[shard]++
		}
		if err := rows.Err(); err != nil {
			return nil, err
		}
	}
	return counts, nil
}

// Reconcile runs one transaction per batch. The defer lives in a function
// literal that is called from the loop; inside the literal it precedes the
// inner loop, so it runs once per batch.
func (r *OrderRepo) Reconcile(ctx context.Context, batches [][]int64) error {
	process := func(ids []int64) error {
		tx, err := r.db.BeginTx(ctx, nil)
		if err != nil {
			return err
		}
		defer tx.Rollback() // ok: once per call of the literal; no-op after Commit
		for _, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE orders SET reconciled = true WHERE id = $1`, id); err != nil {
				return err
			}
		}
		return tx.Commit()
	}
	for i, b := range batches {
		if err := process(b); err != nil {
			return fmt.Errorf("batch %d: %w", i, err)
		}
	}
	return nil
}
