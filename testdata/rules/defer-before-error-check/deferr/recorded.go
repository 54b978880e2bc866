package deferr

import (
	"context"
	"database/sql"
)

type span struct{ errs []error }

func (s *span) RecordError(err error) {
	if err != nil {
		s.errs = append(s.errs, err)
	}
}

// Recording the error on the span looks at it but goes on: the defer still runs on nil rows.
func listNames(ctx context.Context, db *sql.DB, sp *span) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	sp.RecordError(err)
	defer rows.Close() // want `rows from \(\*database/sql\.DB\)\.QueryContext on line \d+ is used by the deferred rows\.Close\(\) before err is checked`
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// Recorded, then checked, then deferred: fine.
func listNamesChecked(ctx context.Context, db *sql.DB, sp *span) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM users")
	sp.RecordError(err)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var n string
		if err := rows.Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}
