package store

import (
	"context"
	"database/sql"
	"fmt"

	"example.com/fah15/internal/metrics"
)

// PlaceOrder inserts an order with its items in one transaction.
func (s *Store) PlaceOrder(ctx context.Context, o Order, items []Item) (int64, error) {
	ctx, span := s.tracer.Start(ctx, "store.PlaceOrder")
	defer span.End()
	timer := metrics.NewTimer(s.queryDur)
	defer timer.ObserveDuration()

	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, fmt.Errorf("begin: %w", err)
	}
	// Rollback after a successful Commit is a no-op returning sql.ErrTxDone.
	defer tx.Rollback()

	var id int64
	err = tx.QueryRowContext(ctx,
		"INSERT INTO orders (customer, total_cents, status) VALUES ($1, $2, 'pending') RETURNING id",
		o.Customer, o.TotalCents).Scan(&id)
	if err != nil {
		span.RecordError(err)
		return 0, fmt.Errorf("insert order: %w", err)
	}
	for _, it := range items {
		if _, err := tx.ExecContext(ctx,
			"INSERT INTO order_items (order_id, sku, qty, price_cents) VALUES ($1, $2, $3, $4)",
			id, it.SKU, it.Qty, it.PriceCents); err != nil {
			span.RecordError(err)
			return 0, fmt.Errorf("insert item %s: %w", it.SKU, err)
		}
	}
	if err := tx.Commit(); err != nil {
		span.RecordError(err)
		return 0, fmt.Errorf("commit: %w", err)
	}
	return id, nil
}

// UpdateStatus changes an order's status, committing in a deferred closure
// that writes the named result.
func (s *Store) UpdateStatus(ctx context.Context, id int64, status string) (err error) {
	tx, err := s.db.BeginTx(ctx, nil)
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
	res, err := tx.ExecContext(ctx, "UPDATE orders SET status = $1 WHERE id = $2", status, id)
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

// Cancel marks an order cancelled and writes a history row.
func (s *Store) Cancel(ctx context.Context, id int64, reason string) error {
	tx, err := s.db.BeginTx(ctx, nil)
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
	if _, err = tx.ExecContext(ctx, "UPDATE orders SET status = 'cancelled' WHERE id = $1", id); err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx,
		"INSERT INTO order_history (order_id, event, note) VALUES ($1, 'cancelled', $2)", id, reason)
	return err
}

// ArchiveShipped moves each shipped order to the archive in its own
// transaction; a failing order is logged and skipped.
func (s *Store) ArchiveShipped(ctx context.Context, ids []int64) (archived int, err error) {
	for _, id := range ids {
		tx, err := s.db.BeginTx(ctx, nil)
		if err != nil {
			return archived, err
		}
		defer tx.Rollback() // HAZ defer-in-loop
		if _, err := tx.ExecContext(ctx, "INSERT INTO orders_archive SELECT * FROM orders WHERE id = $1", id); err != nil {
			s.log.Error("archive failed", "order", id, "err", err)
			continue
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM orders WHERE id = $1", id); err != nil {
			s.log.Error("archive delete failed", "order", id, "err", err)
			continue
		}
		if err := tx.Commit(); err != nil {
			return archived, err
		}
		archived++
	}
	return archived, nil
}

// Reprice updates prices in batches, one transaction per batch, each
// handled by a helper so the deferred rollback runs per batch.
func (s *Store) Reprice(ctx context.Context, prices map[string]int64, batch int) error {
	skus := make([]string, 0, len(prices))
	for sku := range prices {
		skus = append(skus, sku)
	}
	for start := 0; start < len(skus); start += batch {
		end := min(start+batch, len(skus))
		if err := s.repriceBatch(ctx, skus[start:end], prices); err != nil {
			return fmt.Errorf("batch at %d: %w", start, err)
		}
	}
	return nil
}

func (s *Store) repriceBatch(ctx context.Context, skus []string, prices map[string]int64) error {
	tx, err := s.db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelSerializable})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	stmt, err := tx.PrepareContext(ctx, "UPDATE products SET price_cents = $1 WHERE sku = $2")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for _, sku := range skus {
		if _, err := stmt.ExecContext(ctx, prices[sku], sku); err != nil {
			return err
		}
	}
	return tx.Commit()
}
