// Package store holds the order repository on top of database/sql.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/metrics"
	"example.com/fah15/internal/trace"
)

// ErrNotFound is returned when no row matches.
var ErrNotFound = errors.New("store: not found")

// Order is one customer order.
type Order struct {
	ID         int64
	Customer   string
	TotalCents int64
	Status     string
	Created    time.Time
}

// Item is one order line.
type Item struct {
	SKU        string
	Qty        int
	PriceCents int64
}

// Store is the order repository.
type Store struct {
	db       *sql.DB
	tracer   *trace.Tracer
	queryDur *metrics.Histogram
	log      *logx.Logger
}

// New wires a store.
func New(db *sql.DB, tracer *trace.Tracer, reg *metrics.Registry, log *logx.Logger) *Store {
	return &Store{db: db, tracer: tracer, queryDur: reg.Histogram("store_query_seconds"), log: log}
}

const orderCols = "id, customer, total_cents, status, created_at"

func scanOrders(rows *sql.Rows) ([]Order, error) {
	var out []Order
	for rows.Next() {
		var o Order
		if err := rows.Scan(&o.ID, &o.Customer, &o.TotalCents, &o.Status, &o.Created); err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// GetOrder loads one order.
func (s *Store) GetOrder(ctx context.Context, id int64) (Order, error) {
	ctx, span := s.tracer.Start(ctx, "store.GetOrder")
	defer span.End()
	timer := metrics.NewTimer(s.queryDur)
	defer timer.ObserveDuration()

	var o Order
	err := s.db.QueryRowContext(ctx, "SELECT "+orderCols+" FROM orders WHERE id = $1", id).
		Scan(&o.ID, &o.Customer, &o.TotalCents, &o.Status, &o.Created)
	if errors.Is(err, sql.ErrNoRows) {
		return Order{}, ErrNotFound
	}
	if err != nil {
		span.RecordError(err)
		return Order{}, fmt.Errorf("get order %d: %w", id, err)
	}
	return o, nil
}

// ListByCustomer returns a customer's orders, newest first.
func (s *Store) ListByCustomer(ctx context.Context, customer string) ([]Order, error) {
	ctx, span := s.tracer.Start(ctx, "store.ListByCustomer")
	defer span.End()
	defer s.queryDur.Time()()

	rows, err := s.db.QueryContext(ctx,
		"SELECT "+orderCols+" FROM orders WHERE customer = $1 ORDER BY created_at DESC", customer)
	if err != nil {
		span.RecordError(err)
		return nil, err
	}
	defer rows.Close()
	orders, err := scanOrders(rows)
	if err != nil {
		return nil, fmt.Errorf("list orders of %s: %w", customer, err)
	}
	return orders, nil
}

// ListByStatus returns orders with the given status.
func (s *Store) ListByStatus(ctx context.Context, status string) ([]Order, error) {
	ctx, span := s.tracer.Start(ctx, "store.ListByStatus")
	defer span.End()

	rows, err := s.db.QueryContext(ctx,
		"SELECT "+orderCols+" FROM orders WHERE status = $1", status)
	span.RecordError(err)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("list %s orders: %w", status, err)
	}
	return scanOrders(rows)
}

// CountByStatus counts orders per status.
func (s *Store) CountByStatus(ctx context.Context) (map[string]int, error) {
	defer s.queryDur.Time() // HAZ defer-func-result-not-called
	rows, err := s.db.QueryContext(ctx, "SELECT status, count(*) FROM orders GROUP BY status")
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	counts := make(map[string]int)
	for rows.Next() {
		var st string
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		counts[st] = n
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return counts, nil
}

// RecentAndPending returns the last day's orders and all pending ones.
func (s *Store) RecentAndPending(ctx context.Context) (recent, pending []Order, err error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT "+orderCols+" FROM orders WHERE created_at > now() - interval '1 day'")
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close() // HAZ defer-eager-evaluation
	if recent, err = scanOrders(rows); err != nil {
		return nil, nil, err
	}
	rows, err = s.db.QueryContext(ctx,
		"SELECT "+orderCols+" FROM orders WHERE status = 'pending'")
	if err != nil {
		return nil, nil, err
	}
	if pending, err = scanOrders(rows); err != nil {
		return nil, nil, err
	}
	return recent, pending, nil
}

// TopPerRegion returns at most n order ids per region, one query per region.
func (s *Store) TopPerRegion(ctx context.Context, regions []string, n int) (map[string][]int64, error) {
	out := make(map[string][]int64, len(regions))
	for _, region := range regions {
		ids, err := s.topInRegion(ctx, region, n)
		if err != nil {
			return nil, fmt.Errorf("region %s: %w", region, err)
		}
		out[region] = ids
	}
	return out, nil
}

func (s *Store) topInRegion(ctx context.Context, region string, n int) ([]int64, error) {
	rows, err := s.db.QueryContext(ctx,
		"SELECT id FROM orders WHERE region = $1 ORDER BY total_cents DESC", region)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	ids := make([]int64, 0, n)
	for len(ids) < n && rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// Totals sums order totals for several customers, closing each result set
// before the next query.
func (s *Store) Totals(ctx context.Context, customers []string) (map[string]int64, error) {
	out := make(map[string]int64, len(customers))
	for _, c := range customers {
		err := func() error {
			rows, err := s.db.QueryContext(ctx, "SELECT total_cents FROM orders WHERE customer = $1", c)
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var cents int64
				if err := rows.Scan(&cents); err != nil {
					return err
				}
				out[c] += cents
			}
			return rows.Err()
		}()
		if err != nil {
			return nil, err
		}
	}
	return out, nil
}
