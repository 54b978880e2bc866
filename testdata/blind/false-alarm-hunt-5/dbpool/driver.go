// Package dbpool is a small database client: a driver interface, a
// connection pool with health checks, transactions, rows and migrations.
package dbpool

import (
	"context"
	"errors"
)

// Driver opens connections to a database.
type Driver interface {
	Open(ctx context.Context, dsn string) (DriverConn, error)
}

// DriverConn is one connection as seen by the pool.
type DriverConn interface {
	Exec(ctx context.Context, query string, args ...any) (int64, error)
	Query(ctx context.Context, query string, args ...any) (DriverRows, error)
	Begin(ctx context.Context) error
	Commit() error
	Rollback() error
	Ping(ctx context.Context) error
	Close() error
}

// DriverRows iterates a result set.
type DriverRows interface {
	Columns() []string
	Next(dest []any) error
	Close() error
}

// Errors returned by the pool.
var (
	ErrPoolClosed = errors.New("dbpool: pool closed")
	ErrBadConn    = errors.New("dbpool: bad connection")
	ErrTxDone     = errors.New("dbpool: transaction already committed or rolled back")
	ErrNoRows     = errors.New("dbpool: no rows in result set")
)
