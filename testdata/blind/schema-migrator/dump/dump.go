// Package dump copies table data out of the database into gzip-compressed
// CSV files (one per table, plus a manifest and optional .tar.gz bundle) and
// restores it again, e.g. around a risky migration.
package dump

import (
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"time"

	"example.com/migrator/lock"
)

// nullMarker stands for SQL NULL in the CSV files.
const nullMarker = `\N`

// Dumper writes table dumps into a directory.
type Dumper struct {
	db       *sql.DB
	dir      string
	log      *log.Logger
	progress *Progress
	locks    *lock.MutexTable

	mu   sync.Mutex
	rows map[string]int64
}

// NewDumper returns a Dumper writing into dir.
func NewDumper(db *sql.DB, dir string, logger *log.Logger) *Dumper {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Dumper{
		db:       db,
		dir:      dir,
		log:      logger,
		progress: NewProgress(logger.Writer()),
		locks:    lock.NewMutexTable(),
		rows:     make(map[string]int64),
	}
}

func (d *Dumper) path(table string) string {
	return filepath.Join(d.dir, table+".csv.gz")
}

func (d *Dumper) record(table string, n int64) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.rows[table] = n
}

// Counts returns the number of rows dumped per table so far.
func (d *Dumper) Counts() map[string]int64 {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]int64, len(d.rows))
	for t, n := range d.rows {
		out[t] = n
	}
	return out
}

// exportRows writes the header and every row of table to cw.
func (d *Dumper) exportRows(ctx context.Context, table string, cw *csv.Writer) (int64, error) {
	rows, err := d.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	if err := cw.Write(cols); err != nil {
		return 0, err
	}
	vals := make([]sql.NullString, len(cols))
	ptrs := make([]interface{}, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	record := make([]string, len(cols))
	var n int64
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		for i, v := range vals {
			record[i] = nullMarker
			if v.Valid {
				record[i] = v.String
			}
		}
		if err := cw.Write(record); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// DumpTable writes table as gzip-compressed CSV with a header row.
func (d *Dumper) DumpTable(ctx context.Context, table string) (err error) {
	defer d.progress.Start(table)()
	f, err := os.Create(d.path(table))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	cw := csv.NewWriter(zw)
	n, err := d.exportRows(ctx, table, cw)
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	d.record(table, n)
	return nil
}

// DumpTableFast is DumpTable with the fastest compression level, for the
// big tables.
func (d *Dumper) DumpTableFast(ctx context.Context, table string) error {
	f, err := os.Create(d.path(table))
	if err != nil {
		return err
	}
	zw, err := gzip.NewWriterLevel(f, gzip.BestSpeed)
	if err != nil {
		f.Close()
		return err
	}
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(zw)
	n, err := d.exportRows(ctx, table, cw)
	if err != nil {
		return err
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	d.record(table, n)
	return nil
}

// DumpCSV writes table as plain CSV, for people who open it in a spreadsheet.
func (d *Dumper) DumpCSV(ctx context.Context, table string) (err error) {
	f, err := os.Create(filepath.Join(d.dir, table+".csv"))
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	n, err := d.exportRows(ctx, table, cw)
	if err != nil {
		return err
	}
	d.record(table, n)
	return nil
}

// WriteCSVGz writes records as gzip-compressed CSV; the restore tests and
// the "dump import" tooling use it.
func WriteCSVGz(path string, header []string, records [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	cw := csv.NewWriter(zw)
	if err := cw.Write(header); err != nil {
		return err
	}
	return cw.WriteAll(records)
}

// DumpAll dumps every table concurrently, one goroutine per table.
func (d *Dumper) DumpAll(ctx context.Context, tables []string) error {
	errc := make(chan error, len(tables))
	for _, table := range tables {
		go func() { // HAZ loop-var-capture
			errc <- d.DumpTable(ctx, table)
		}()
		d.log.Printf("dump of %s started", table)
	}
	var errs []error
	for range tables {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// DumpParallel dumps the tables with a fixed number of workers.
func (d *Dumper) DumpParallel(ctx context.Context, tables []string, workers int) error {
	if workers < 1 {
		workers = 1
	}
	jobs := make(chan string)
	var (
		mu     sync.Mutex
		failed []error
		wg     sync.WaitGroup
	)
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for table := range jobs {
				if err := d.DumpTable(ctx, table); err != nil {
					mu.Lock()
					failed = append(failed, fmt.Errorf("%s: %w", table, err))
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for _, t := range tables {
		select {
		case jobs <- t:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		failed = append(failed, err)
	}
	return errors.Join(failed...)
}

// DumpLogged dumps one table and logs how long it took.
func (d *Dumper) DumpLogged(ctx context.Context, table string) error {
	start := time.Now()
	defer d.log.Printf("dumped %s in %s", table, time.Now().Sub(start)) // HAZ defer-eager-evaluation
	return d.DumpTable(ctx, table)
}

// DumpSet dumps the tables one after the other and logs the total time.
func (d *Dumper) DumpSet(ctx context.Context, tables []string) error {
	start := time.Now()
	defer func() {
		d.log.Printf("dump of %d table(s) took %s", len(tables), time.Since(start).Round(time.Millisecond))
	}()
	defer d.log.Printf("dump directory: %s", d.dir)
	for _, t := range tables {
		if err := d.DumpTable(ctx, t); err != nil {
			return fmt.Errorf("dump %s: %w", t, err)
		}
	}
	return nil
}

// DumpSequential dumps the tables in order, reporting overall progress.
func (d *Dumper) DumpSequential(ctx context.Context, tables []string) error {
	defer d.progress.Start(fmt.Sprintf("%d tables", len(tables))) // HAZ defer-func-result-not-called
	for _, t := range tables {
		if err := d.DumpTableFast(ctx, t); err != nil {
			return err
		}
	}
	return nil
}

// tryDump dumps one table; a panic in the driver must not stop the batch.
func (d *Dumper) tryDump(ctx context.Context, table string) error {
	defer recover() // HAZ recover-ineffective
	return d.DumpTable(ctx, table)
}

// DumpBestEffort dumps what it can and returns the tables that failed.
func (d *Dumper) DumpBestEffort(ctx context.Context, tables []string) []string {
	var failed []string
	for _, t := range tables {
		if err := d.tryDump(ctx, t); err != nil {
			d.log.Printf("dump %s: %v", t, err)
			failed = append(failed, t)
		}
	}
	sort.Strings(failed)
	return failed
}

// Sizes returns the size on disk of each table's dump, 0 when missing.
func (d *Dumper) Sizes(tables []string) map[string]int64 {
	type size struct {
		table string
		n     int64
	}
	ch := make(chan size)
	for _, t := range tables {
		go func(t string) {
			var n int64
			if fi, err := os.Stat(d.path(t)); err == nil {
				n = fi.Size()
			}
			ch <- size{t, n}
		}(t)
	}
	out := make(map[string]int64, len(tables))
	for range tables {
		s := <-ch
		out[s.table] = s.n
	}
	return out
}
