// Package repo holds the repositories of the service: users and orders, over
// database/sql, with a cache of prepared statements.
package repo

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// ErrNotFound is returned when a row does not exist.
var ErrNotFound = errors.New("repo: not found")

// Schema is the DDL the repositories rely on.
var Schema = []string{
	"CREATE TABLE IF NOT EXISTS users (id INTEGER, email TEXT, name TEXT, active BOOLEAN)",
	"CREATE TABLE IF NOT EXISTS orders (id INTEGER, user_id INTEGER, status TEXT, total_cents INTEGER)",
	"CREATE TABLE IF NOT EXISTS archived_orders (id INTEGER, user_id INTEGER, status TEXT, total_cents INTEGER)",
	"CREATE TABLE IF NOT EXISTS order_items (id INTEGER, order_id INTEGER, sku TEXT, qty INTEGER, price_cents INTEGER)",
}

// CreateSchema applies Schema in one transaction.
func CreateSchema(ctx context.Context, db *sql.DB) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			err = errors.Join(err, tx.Rollback())
		}
	}()
	for i, ddl := range Schema {
		if _, err := tx.ExecContext(ctx, ddl); err != nil {
			return fmt.Errorf("repo: schema statement %d: %w", i+1, err)
		}
	}
	return tx.Commit()
}
