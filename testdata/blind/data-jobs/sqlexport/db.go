// Package sqlexport exports query results to CSV and JSON lines.
package sqlexport

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
)

// Rows is the subset of *sql.Rows the exporter needs.
type Rows interface {
	Columns() ([]string, error)
	Next() bool
	Scan(dest ...any) error
	Err() error
	Close() error
}

// Querier runs queries.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (Rows, error)
}

// TxBeginner starts transactions.
type TxBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// DB adapts *sql.DB to Querier.
type DB struct{ *sql.DB }

// QueryContext implements Querier.
func (d DB) QueryContext(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := d.DB.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

type txQuerier struct{ tx *sql.Tx }

func (t txQuerier) QueryContext(ctx context.Context, query string, args ...any) (Rows, error) {
	rows, err := t.tx.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// quoteIdent quotes a possibly schema-qualified table name.
func quoteIdent(name string) (string, error) {
	if name == "" {
		return "", fmt.Errorf("sqlexport: empty table name")
	}
	parts := strings.Split(name, ".")
	for i, p := range parts {
		if p == "" {
			return "", fmt.Errorf("sqlexport: bad table name %q", name)
		}
		for _, r := range p {
			if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
				return "", fmt.Errorf("sqlexport: bad table name %q", name)
			}
		}
		parts[i] = `"` + p + `"`
	}
	return strings.Join(parts, "."), nil
}

func selectAll(table string) (string, error) {
	ident, err := quoteIdent(table)
	if err != nil {
		return "", err
	}
	return "SELECT * FROM " + ident, nil
}
