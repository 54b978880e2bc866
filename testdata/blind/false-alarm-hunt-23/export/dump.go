// Package export writes tables and result sets to files: CSV, gzipped CSV
// and JSON lines, plus helpers for segment files.
package export

import (
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"os"
)

// DumpCSV writes table to path as CSV. The file's Close error is joined
// into the result, so a failed final write is never silent.
func DumpCSV(ctx context.Context, db *sql.DB, table, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	if err := copyTable(ctx, db, table, cw); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// DumpGzip writes table to path as gzipped CSV.
func DumpGzip(ctx context.Context, db *sql.DB, table, path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	cw := csv.NewWriter(zw)
	if err := copyTable(ctx, db, table, cw); err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// Compress gzips src into dst. The gzip writer is closed explicitly, before
// the file, and both errors are reported.
func Compress(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return zw.Close()
}

func copyTable(ctx context.Context, db *sql.DB, table string, cw *csv.Writer) error {
	rows, err := db.QueryContext(ctx, `SELECT * FROM "`+table+`"`)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	if err := cw.Write(cols); err != nil {
		return err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rec := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i, v := range vals {
			rec[i] = v.String
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return rows.Err()
}

// WriteJSONL writes the result of query to w, one JSON object per row. The
// buffered writer is flushed explicitly and its error returned.
func WriteJSONL(ctx context.Context, db *sql.DB, w io.Writer, query string, args ...any) (int, error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		obj := make(map[string]any, len(cols))
		for i, c := range cols {
			obj[c] = vals[i]
		}
		if err := enc.Encode(obj); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	return n, bw.Flush()
}
