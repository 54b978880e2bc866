// Package export dumps query results to files: CSV, TSV, gzip snapshots and
// append-only audit logs.
package export

import (
	"bufio"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
)

// Query runs query and returns its header and rows rendered as strings.
func Query(ctx context.Context, db *sql.DB, query string, args ...any) (header []string, records [][]string, err error) {
	rows, err := db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, nil, err
	}
	defer rows.Close()
	if header, err = rows.Columns(); err != nil {
		return nil, nil, err
	}
	vals := make([]sql.NullString, len(header))
	ptrs := make([]any, len(header))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, nil, err
		}
		rec := make([]string, len(vals))
		for i, v := range vals {
			rec[i] = v.String
		}
		records = append(records, rec)
	}
	return header, records, rows.Err()
}

// WriteCSV writes header and records to path, reporting the close error.
func WriteCSV(path string, header []string, records [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	return w.WriteAll(records)
}

// WriteTSV writes header and records to path as tab-separated lines.
func WriteTSV(path string, header []string, records [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintln(f, strings.Join(header, "\t")); err != nil {
		return err
	}
	for _, rec := range records {
		if _, err := fmt.Fprintln(f, strings.Join(rec, "\t")); err != nil {
			return err
		}
	}
	return nil
}

// WriteTSVSynced is WriteTSV with the data synced, and the sync checked,
// before the deferred close.
func WriteTSVSynced(path string, header []string, records [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, strings.Join(header, "\t")); err != nil {
		return err
	}
	for _, rec := range records {
		if _, err := fmt.Fprintln(f, strings.Join(rec, "\t")); err != nil {
			return err
		}
	}
	return f.Sync()
}

// WriteSnapshot writes records as gzip-compressed CSV.
func WriteSnapshot(path string, records [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return csv.NewWriter(zw).WriteAll(records)
}

// WriteSnapshotOrdered is WriteSnapshot with the file closed after the gzip
// stream is finished.
func WriteSnapshotOrdered(path string, records [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return csv.NewWriter(zw).WriteAll(records)
}

// WriteLines writes lines to path through a buffer.
func WriteLines(path string, lines []string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteLinesFlushed writes lines through a buffer that is flushed, and
// checked, before the file is closed.
func WriteLinesFlushed(path string, lines []string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// AppendAudit appends one line to the audit log at path.
func AppendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = fmt.Fprintln(f, line)
	return err
}

// AppendAuditChecked is AppendAudit returning the close error on success;
// the deferred close only covers the failed write.
func AppendAuditChecked(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintln(f, line); err != nil {
		return err
	}
	return f.Close()
}

// ReadSnapshot reads a file written by WriteSnapshot.
func ReadSnapshot(path string) ([][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return csv.NewReader(zr).ReadAll()
}

// Checksum returns the hex SHA-256 of the file at path.
func Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CountLines counts the lines of a read-only file opened with OpenFile.
func CountLines(path string) (int, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}
