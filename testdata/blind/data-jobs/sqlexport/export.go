package sqlexport

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/etl/csvio"
	"example.com/etl/fsutil"
)

// Exporter writes query results as CSV or JSON lines.
type Exporter struct {
	Q   Querier
	Log *log.Logger
}

func (e *Exporter) logf(format string, args ...any) {
	if e.Log != nil {
		e.Log.Printf(format, args...)
	}
}

// ExportCSV writes the result of query to w with a header row and returns the row count.
func (e *Exporter) ExportCSV(ctx context.Context, w io.Writer, query string, args ...any) (n int, err error) {
	rows, err := e.Q.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, rows.Close()) }()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	cw := csv.NewWriter(w)
	if err := cw.Write(cols); err != nil {
		return 0, err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	rec := make([]string, len(cols))
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			rec[i] = v.String
		}
		if err := cw.Write(rec); err != nil {
			return n, err
		}
		n++
	}
	if err := rows.Err(); err != nil {
		return n, err
	}
	cw.Flush()
	return n, cw.Error()
}

// writeRows writes every row as a JSON object keyed by column.
func writeRows(rows Rows, jw *csvio.JSONLWriter) error {
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		obj := make(map[string]any, len(cols))
		for i, c := range cols {
			if b, ok := vals[i].([]byte); ok {
				obj[c] = string(b)
			} else {
				obj[c] = vals[i]
			}
		}
		if err := jw.Write(obj); err != nil {
			return err
		}
	}
	return rows.Err()
}

// ExportTable writes a whole table to w as JSON lines.
func (e *Exporter) ExportTable(ctx context.Context, w io.Writer, table string) error {
	q, err := selectAll(table)
	if err != nil {
		return err
	}
	rows, err := e.Q.QueryContext(ctx, q)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := rows.Close(); cerr != nil {
			err = cerr
		}
	}()
	jw := csvio.NewJSONLWriter(w)
	if err := writeRows(rows, jw); err != nil {
		return err
	}
	return jw.Flush()
}

// ExportJSONL is ExportTable with the close error reported through the named result.
func (e *Exporter) ExportJSONL(ctx context.Context, w io.Writer, query string, args ...any) (err error) {
	rows, err := e.Q.QueryContext(ctx, query, args...)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := rows.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	jw := csvio.NewJSONLWriter(w)
	if err := writeRows(rows, jw); err != nil {
		return err
	}
	return jw.Flush()
}

// ExportTables writes each table into w as a header line followed by its rows.
func (e *Exporter) ExportTables(ctx context.Context, w io.Writer, tables []string) error {
	jw := csvio.NewJSONLWriter(w)
	for _, t := range tables {
		q, err := selectAll(t)
		if err != nil {
			return err
		}
		rows, err := e.Q.QueryContext(ctx, q)
		if err != nil {
			return err
		}
		defer rows.Close() // HAZ defer-in-loop
		if err := jw.Write(map[string]string{"table": t}); err != nil {
			return err
		}
		if err := writeRows(rows, jw); err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return jw.Flush()
}

// ExportEach writes each table into w, releasing each result set before the next query.
func (e *Exporter) ExportEach(ctx context.Context, w io.Writer, tables []string) error {
	jw := csvio.NewJSONLWriter(w)
	for _, t := range tables {
		if err := jw.Write(map[string]string{"table": t}); err != nil {
			return err
		}
		q, err := selectAll(t)
		if err != nil {
			return err
		}
		err = func() error {
			rows, err := e.Q.QueryContext(ctx, q)
			if err != nil {
				return err
			}
			defer rows.Close() // ok: per table, inside the function literal
			return writeRows(rows, jw)
		}()
		if err != nil {
			return fmt.Errorf("%s: %w", t, err)
		}
	}
	return jw.Flush()
}

// Count returns the number of rows in table.
func (e *Exporter) Count(ctx context.Context, table string) (int64, error) {
	ident, err := quoteIdent(table)
	if err != nil {
		return 0, err
	}
	rows, err := e.Q.QueryContext(ctx, "SELECT COUNT(*) FROM "+ident)
	defer rows.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// CountRows is Count with the error checked before the defer.
func (e *Exporter) CountRows(ctx context.Context, table string) (int64, error) {
	ident, err := quoteIdent(table)
	if err != nil {
		return 0, err
	}
	rows, err := e.Q.QueryContext(ctx, "SELECT COUNT(*) FROM "+ident)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	if rows.Next() {
		if err := rows.Scan(&n); err != nil {
			return 0, err
		}
	}
	return n, rows.Err()
}

// ExportWithTotal exports table as CSV and reports the row count from a concurrent COUNT(*).
func (e *Exporter) ExportWithTotal(ctx context.Context, w io.Writer, table string) (exported, total int64, err error) {
	q, err := selectAll(table)
	if err != nil {
		return 0, 0, err
	}
	totalc := make(chan int64)
	go func() { // HAZ goroutine-blocked-send
		n, _ := e.CountRows(ctx, table)
		totalc <- n
	}()
	n, err := e.ExportCSV(ctx, w, q)
	if err != nil {
		return 0, 0, err
	}
	return int64(n), <-totalc, nil
}

// ExportCounted is ExportWithTotal with room for the count when the export fails.
func (e *Exporter) ExportCounted(ctx context.Context, w io.Writer, table string) (exported, total int64, err error) {
	q, err := selectAll(table)
	if err != nil {
		return 0, 0, err
	}
	totalc := make(chan int64, 1)
	go func() {
		n, _ := e.CountRows(ctx, table)
		totalc <- n // ok: buffered
	}()
	n, err := e.ExportCSV(ctx, w, q)
	if err != nil {
		return 0, 0, err
	}
	return int64(n), <-totalc, nil
}

// Dump exports every table into dir as <table>.csv.gz.
func (e *Exporter) Dump(ctx context.Context, dir string, tables []string) error {
	start := time.Now()
	defer e.logf("dump of %d tables took %s", len(tables), time.Now().Sub(start)) // HAZ defer-eager-evaluation
	for _, t := range tables {
		if err := e.dumpTable(ctx, dir, t); err != nil {
			return err
		}
	}
	return nil
}

// DumpTimed is Dump with the duration measured at exit.
func (e *Exporter) DumpTimed(ctx context.Context, dir string, tables []string) error {
	defer e.since("dump", time.Now()) // ok: the start time is captured on purpose
	for _, t := range tables {
		if err := e.dumpTable(ctx, dir, t); err != nil {
			return err
		}
	}
	return nil
}

func (e *Exporter) since(what string, start time.Time) {
	e.logf("%s took %s", what, time.Since(start).Round(time.Millisecond))
}

func (e *Exporter) dumpTable(ctx context.Context, dir, table string) error {
	q, err := selectAll(table)
	if err != nil {
		return err
	}
	af, err := fsutil.CreateAtomic(filepath.Join(dir, table+".csv.gz"), 0o644)
	if err != nil {
		return err
	}
	defer af.Abort()
	zw := gzip.NewWriter(af)
	if _, err := e.ExportCSV(ctx, zw, q); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return af.Commit()
}

// SnapshotExport runs queries inside one read-only transaction so they see the same data.
func SnapshotExport(ctx context.Context, db TxBeginner, w io.Writer, queries []string) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{ReadOnly: true, Isolation: sql.LevelRepeatableRead})
	if err != nil {
		return err
	}
	defer tx.Rollback() // ok: no-op after Commit
	e := &Exporter{Q: txQuerier{tx}}
	for _, q := range queries {
		if _, err := e.ExportCSV(ctx, w, q); err != nil {
			return err
		}
	}
	return tx.Commit()
}

// Checkpoints remembers the last exported key per table.
type Checkpoints struct {
	mu    sync.Mutex
	path  string
	last  map[string]int64
	dirty bool
}

// LoadCheckpoints reads the checkpoint file at path; a missing file is empty.
func LoadCheckpoints(path string) (*Checkpoints, error) {
	c := &Checkpoints{path: path, last: make(map[string]int64)}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return c, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &c.last); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Get returns the checkpoint for table.
func (c *Checkpoints) Get(table string) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.last[table]
}

// Set records a checkpoint for table.
func (c *Checkpoints) Set(table string, key int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.last[table] != key {
		c.last[table] = key
		c.dirty = true
	}
}

// Save writes the checkpoints if they changed.
func (c *Checkpoints) Save() error {
	c.mu.Lock() // HAZ lock-leaked-on-return
	if !c.dirty {
		return nil
	}
	data, err := json.MarshalIndent(c.last, "", "  ")
	c.dirty = false
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(c.path, data, 0o644)
}

// Flush is Save with every path unlocking.
func (c *Checkpoints) Flush() error {
	c.mu.Lock()
	if !c.dirty {
		c.mu.Unlock()
		return nil
	}
	data, err := json.MarshalIndent(c.last, "", "  ")
	c.dirty = false
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return fsutil.WriteFileAtomic(c.path, data, 0o644)
}

// Incremental exports rows of table with id greater than the checkpoint and advances it.
func (e *Exporter) Incremental(ctx context.Context, w io.Writer, c *Checkpoints, table string) (err error) {
	ident, err := quoteIdent(table)
	if err != nil {
		return err
	}
	from := c.Get(table)
	rows, err := e.Q.QueryContext(ctx, "SELECT * FROM "+ident+" WHERE id > ? ORDER BY id", from)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, rows.Close()) }()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	idIdx := -1
	for i, col := range cols {
		if col == "id" {
			idIdx = i
		}
	}
	if idIdx < 0 {
		return fmt.Errorf("sqlexport: %s has no id column", table)
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	jw := csvio.NewJSONLWriter(w)
	last := from
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		obj := make(map[string]any, len(cols))
		for i, col := range cols {
			obj[col] = vals[i]
		}
		if id, ok := vals[idIdx].(int64); ok && id > last {
			last = id
		}
		if err := jw.Write(obj); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if err := jw.Flush(); err != nil {
		return err
	}
	c.Set(table, last)
	return nil
}
