// Package store is a small in-memory database with a database/sql-shaped
// API (DB, Tx, Rows). The ETL tool loads into it in tests and in the
// single-binary deployment, where it stands in for the warehouse.
//
// The statement language is deliberately tiny:
//
//	CREATE TABLE name col1 col2 ...
//	INSERT INTO name            (one argument per column)
//	DELETE FROM name
//	SELECT * FROM name
//	SELECT COUNT(*) FROM name
package store

import (
	"context"
	"errors"
	"fmt"
	"strings"
)

var (
	// ErrTxDone is returned by Commit and Rollback on a finished transaction.
	ErrTxDone = errors.New("store: transaction has already been committed or rolled back")
	// ErrClosed is returned by operations on a closed database.
	ErrClosed = errors.New("store: database is closed")
	// ErrNoTable is wrapped by errors about unknown tables.
	ErrNoTable = errors.New("store: no such table")
)

// Rows is a cursor over a query result, shaped like *sql.Rows.
type Rows interface {
	Next() bool
	Scan(dest ...any) error
	Columns() []string
	Err() error
	Close() error
}

// Result reports the effect of an Exec.
type Result interface {
	RowsAffected() (int64, error)
}

// Tx is a write transaction. Writes become visible at Commit.
type Tx interface {
	Exec(ctx context.Context, query string, args ...any) (Result, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	Commit() error
	Rollback() error
}

// DB is the database handle used by sources and loaders.
type DB interface {
	Begin(ctx context.Context) (Tx, error)
	Exec(ctx context.Context, query string, args ...any) (Result, error)
	Query(ctx context.Context, query string, args ...any) (Rows, error)
	Close() error
}

type result int64

func (r result) RowsAffected() (int64, error) { return int64(r), nil }

type stmt struct {
	verb  string
	table string
	cols  []string
	count bool
}

func parse(q string) (stmt, error) {
	f := strings.Fields(q)
	if len(f) < 3 {
		return stmt{}, fmt.Errorf("store: cannot parse %q", q)
	}
	verb := strings.ToUpper(f[0])
	switch verb {
	case "CREATE":
		if len(f) < 4 || !strings.EqualFold(f[1], "TABLE") {
			return stmt{}, fmt.Errorf("store: want CREATE TABLE name col...: %q", q)
		}
		return stmt{verb: verb, table: f[2], cols: f[3:]}, nil
	case "INSERT", "DELETE":
		return stmt{verb: verb, table: f[2]}, nil
	case "SELECT":
		if len(f) != 4 || !strings.EqualFold(f[2], "FROM") {
			return stmt{}, fmt.Errorf("store: want SELECT * FROM name: %q", q)
		}
		return stmt{verb: verb, table: f[3], count: strings.EqualFold(f[1], "COUNT(*)")}, nil
	}
	return stmt{}, fmt.Errorf("store: unsupported statement %q", q)
}
