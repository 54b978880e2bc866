package dump

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// Restorer loads table dumps back into the database.
type Restorer struct {
	db    *sql.DB
	dir   string
	log   *log.Logger
	batch int
}

// NewRestorer reads dumps from dir.
func NewRestorer(db *sql.DB, dir string, logger *log.Logger) *Restorer {
	if logger == nil {
		logger = log.New(io.Discard, "", 0)
	}
	return &Restorer{db: db, dir: dir, log: logger, batch: 500}
}

func (r *Restorer) path(table string) string {
	return filepath.Join(r.dir, table+".csv.gz")
}

// txBeginner is *sql.DB or *sql.Conn.
type txBeginner interface {
	BeginTx(ctx context.Context, opts *sql.TxOptions) (*sql.Tx, error)
}

// RestoreTable replaces the contents of table with its dump, in one
// transaction.
func (r *Restorer) RestoreTable(ctx context.Context, table string) error {
	return r.restore(ctx, r.db, table)
}

func (r *Restorer) restore(ctx context.Context, db txBeginner, table string) (err error) {
	f, err := os.Open(r.path(table))
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("restore %s: %w", table, err)
	}
	defer zr.Close()
	cr := csv.NewReader(zr)
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("restore %s: header: %w", table, err)
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if _, err = tx.ExecContext(ctx, "DELETE FROM "+table); err != nil {
		return err
	}
	for {
		batch, readErr := readBatch(cr, r.batch)
		if len(batch) > 0 {
			if err = insertBatch(ctx, tx, table, header, batch); err != nil {
				return err
			}
		}
		if readErr == io.EOF {
			break
		}
		if readErr != nil {
			return fmt.Errorf("restore %s: %w", table, readErr)
		}
	}
	return tx.Commit()
}

// readBatch reads up to n records; it returns io.EOF with the last ones.
func readBatch(cr *csv.Reader, n int) ([][]string, error) {
	batch := make([][]string, 0, n)
	for len(batch) < n {
		rec, err := cr.Read()
		if err != nil {
			return batch, err
		}
		batch = append(batch, rec)
	}
	return batch, nil
}

func insertBatch(ctx context.Context, tx *sql.Tx, table string, cols []string, records [][]string) error {
	placeholders := strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ")
	stmt, err := tx.PrepareContext(ctx,
		"INSERT INTO "+table+" ("+strings.Join(cols, ", ")+") VALUES ("+placeholders+")")
	if err != nil {
		return err
	}
	defer stmt.Close()
	args := make([]interface{}, len(cols))
	for _, rec := range records {
		for i, v := range rec {
			if v == nullMarker {
				args[i] = nil
			} else {
				args[i] = v
			}
		}
		if _, err := stmt.ExecContext(ctx, args...); err != nil {
			return err
		}
	}
	return nil
}

// RestoreTables restores the tables one after the other.
func (r *Restorer) RestoreTables(ctx context.Context, tables []string) error {
	for _, t := range tables {
		if err := r.RestoreTable(ctx, t); err != nil {
			return err
		}
		r.log.Printf("restored %s", t)
	}
	return nil
}

// RestoreAll restores the tables with triggers and foreign keys disabled
// for the session, as needed when tables reference each other.
func (r *Restorer) RestoreAll(ctx context.Context, tables []string) error {
	for _, t := range tables {
		conn, err := r.db.Conn(ctx)
		if err != nil {
			return err
		}
		defer conn.Close() // HAZ defer-in-loop
		if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err != nil {
			return err
		}
		if err := r.restore(ctx, conn, t); err != nil {
			return fmt.Errorf("restore %s: %w", t, err)
		}
	}
	return nil
}

// RestoreConcurrent restores the tables concurrently.
func (r *Restorer) RestoreConcurrent(ctx context.Context, tables []string) error {
	errs := make(chan error, len(tables))
	var wg sync.WaitGroup
	for _, t := range tables {
		wg.Add(1)
		go func(table string) {
			defer wg.Done()
			if err := r.RestoreTable(ctx, table); err != nil {
				errs <- fmt.Errorf("restore %s: %w", table, err)
				wg.Done() // HAZ waitgroup-done-path
				return
			}
			r.log.Printf("restored %s", table)
		}(t)
	}
	wg.Wait()
	close(errs)
	var all []error
	for err := range errs {
		all = append(all, err)
	}
	return errors.Join(all...)
}

// Columns returns the header row of a table's dump without loading it.
func (r *Restorer) Columns(table string) ([]string, error) {
	f, err := os.Open(r.path(table))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", table, err)
	}
	return csv.NewReader(zr).Read()
}

// readAll loads a whole dump into memory; used for small lookup tables.
func readAll(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := zr.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	records, err := csv.NewReader(zr).ReadAll()
	return records, err
}

// Lookup returns the dump of a small table as header plus records.
func (r *Restorer) Lookup(table string) ([]string, [][]string, error) {
	records, err := readAll(r.path(table))
	if err != nil {
		return nil, nil, err
	}
	if len(records) == 0 {
		return nil, nil, fmt.Errorf("%s: empty dump", table)
	}
	return records[0], records[1:], nil
}

// RestoreArchive unpacks a .tar.gz made by Archive into a staging directory
// and restores every table in it.
func (r *Restorer) RestoreArchive(ctx context.Context, archive string) error {
	stage, err := os.MkdirTemp("", "migrator-restore-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(stage) // HAZ defer-blocking-call
	tables, err := extract(archive, stage)
	if err != nil {
		return err
	}
	staged := &Restorer{db: r.db, dir: stage, log: r.log, batch: r.batch}
	return staged.RestoreTables(ctx, tables)
}

// extract unpacks the table dumps of archive into dir and returns the
// table names.
func extract(archive, dir string) ([]string, error) {
	f, err := os.Open(archive)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	var tables []string
	for {
		hdr, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
		name := filepath.Base(hdr.Name)
		if !strings.HasSuffix(name, ".csv.gz") {
			continue
		}
		if err := writeFile(filepath.Join(dir, name), tr); err != nil {
			return nil, err
		}
		tables = append(tables, strings.TrimSuffix(name, ".csv.gz"))
	}
	sort.Strings(tables)
	return tables, nil
}

func writeFile(path string, r io.Reader) (err error) {
	out, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, r)
	return err
}

// SameContents reports whether two dump files hold the same records,
// ignoring their order.
func SameContents(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	left, err := digestRecords(f)
	if err != nil {
		return false, fmt.Errorf("%s: %w", a, err)
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	right, err := digestRecords(f)
	if err != nil {
		return false, fmt.Errorf("%s: %w", b, err)
	}
	return left == right, nil
}

// digestRecords hashes the sorted record hashes of a gzip CSV stream.
func digestRecords(r io.Reader) (string, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	cr := csv.NewReader(zr)
	var sums []string
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return "", err
		}
		h := sha256.Sum256([]byte(strings.Join(rec, "\x1f")))
		sums = append(sums, hex.EncodeToString(h[:]))
	}
	sort.Strings(sums)
	total := sha256.Sum256([]byte(strings.Join(sums, "")))
	return hex.EncodeToString(total[:]), nil
}

// VerifyCounts compares the row count of every table of the manifest with
// the database.
func (r *Restorer) VerifyCounts(ctx context.Context) error {
	want, err := ReadManifest(r.dir)
	if err != nil {
		return err
	}
	var errs []error
	for table, n := range want {
		got, err := r.count(ctx, table)
		if err != nil {
			return err
		}
		if got != n {
			errs = append(errs, fmt.Errorf("%s: %d rows, manifest says %d", table, got, n))
		}
	}
	return errors.Join(errs...)
}

func (r *Restorer) count(ctx context.Context, table string) (int64, error) {
	rows, err := r.db.QueryContext(ctx, "SELECT * FROM "+table)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	var n int64
	for rows.Next() {
		n++
	}
	return n, rows.Err()
}

// RestoreFrom restores tables from src, a dump directory or a .tar.gz made
// by Archive; an archive is unpacked into a staging directory first and all
// of its tables are restored.
func (r *Restorer) RestoreFrom(ctx context.Context, src string, tables []string) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	dir := src
	if strings.HasSuffix(src, ".tar.gz") {
		stage, err := os.MkdirTemp("", "migrator-stage-")
		if err != nil {
			return err
		}
		cleanup = func() { os.RemoveAll(stage) }
		if tables, err = extract(src, stage); err != nil {
			return err
		}
		dir = stage
	}
	staged := &Restorer{db: r.db, dir: dir, log: r.log, batch: r.batch}
	return staged.RestoreTables(ctx, tables)
}

// Truncate empties tables in one transaction, before a restore.
func (r *Restorer) Truncate(ctx context.Context, tables []string) error {
	tx, err := r.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := tx.Rollback(); err != nil && !errors.Is(err, sql.ErrTxDone) {
			return fmt.Errorf("truncate: rollback: %w", err)
		}
		return nil
	}()
	for _, t := range tables {
		if _, err := tx.ExecContext(ctx, "DELETE FROM "+t); err != nil {
			return fmt.Errorf("truncate %s: %w", t, err)
		}
	}
	return tx.Commit()
}

// RestoreNoTriggers restores one table on a dedicated connection with
// triggers switched off, and switches them back on afterwards.
func (r *Restorer) RestoreNoTriggers(ctx context.Context, table string) error {
	conn, err := r.db.Conn(ctx)
	if err != nil {
		return err
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, "SET session_replication_role = replica"); err != nil {
		return err
	}
	defer conn.ExecContext(ctx, "SET session_replication_role = origin") // HAZ defer-blocking-call
	return r.restore(ctx, conn, table)
}
