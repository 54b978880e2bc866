// Package export turns spooled records into batch files and archives.
package export

import (
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/up18/internal/spool"
)

// Batch is a day's worth of records from one source.
type Batch struct {
	Day     time.Time
	Source  string
	Records [][]byte
}

// File is the name of the batch's file inside an export directory.
func (b Batch) File() string {
	return fmt.Sprintf("%s-%s.log", b.Source, b.Day.UTC().Format("20060102"))
}

// WriteBatch appends every record of b to its day file in dir.
func WriteBatch(dir string, b Batch) error {
	f, err := spool.Create(filepath.Join(dir, b.File()))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, rec := range b.Records {
		if _, err := fmt.Fprintf(f, "%s\n", rec); err != nil {
			return fmt.Errorf("export %s: %w", b.File(), err)
		}
	}
	return nil
}

// WriteBatchSynced is WriteBatch for callers that need durability: the file
// is synced and its Close error returned on success.
func WriteBatchSynced(dir string, b Batch) error {
	f, err := spool.Create(filepath.Join(dir, b.File()))
	if err != nil {
		return err
	}
	defer f.Close()
	for _, rec := range b.Records {
		if _, err := fmt.Fprintf(f, "%s\n", rec); err != nil {
			return fmt.Errorf("export %s: %w", b.File(), err)
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// DumpCSV writes rows to path as comma-separated lines.
func DumpCSV(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := spool.NewLineWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	for _, row := range rows {
		if _, err := bw.WriteString(strings.Join(row, ",") + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// WriteManifest writes one CSV row per segment: name, size in bytes.
func WriteManifest(w io.Writer, segments []string) error {
	cw := csv.NewWriter(w)
	for _, seg := range segments {
		st, err := os.Stat(seg)
		if err != nil {
			return err
		}
		if err := cw.Write([]string{filepath.Base(seg), fmt.Sprint(st.Size())}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Archive gzips the records of every segment into dst.
func Archive(dst io.Writer, segments []string) (err error) {
	zw, err := spool.NewCompressed(dst, gzip.BestSpeed)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, p := range segments {
		if err := appendSegment(zw, p); err != nil {
			return err
		}
	}
	return nil
}

func appendSegment(w io.Writer, path string) error {
	r, err := spool.OpenReader(path)
	if err != nil {
		return err
	}
	defer r.Close()
	for {
		rec, ok := r.Next()
		if !ok {
			break
		}
		if _, err := fmt.Fprintf(w, "%s\n", rec); err != nil {
			return err
		}
	}
	return r.Err()
}

// WriteSnapshot stores recs as a gzip file at path.
func WriteSnapshot(path string, recs [][]byte) (err error) {
	f, err := spool.Create(path)
	if err != nil {
		return err
	}
	zw, err := spool.NewCompressed(f, gzip.DefaultCompression)
	if err != nil {
		f.Close()
		return err
	}
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, rec := range recs {
		if _, err := zw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// CountRecords counts the records in one segment.
func CountRecords(path string) (int, error) {
	r, err := spool.OpenReader(path)
	defer r.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	n := 0
	for {
		if _, ok := r.Next(); !ok {
			break
		}
		n++
	}
	return n, r.Err()
}

// ReplayAll feeds every record of the given segments to fn, in order, and
// returns how many records were delivered.
func ReplayAll(segments []string, fn func([]byte) error) (int, error) {
	n, i := 0, 0
scan:
	for {
		switch {
		case i == len(segments):
			break scan
		}
		r, err := spool.OpenReader(segments[i])
		if err != nil {
			return n, err
		}
		defer r.Close() // HAZ defer-in-loop
		for {
			rec, ok := r.Next()
			if !ok {
				break
			}
			if err := fn(rec); err != nil {
				return n, err
			}
			n++
		}
		if err := r.Err(); err != nil {
			return n, err
		}
		i++
	}
	return n, nil
}

// ExportAll copies each segment into dir, holding one segment open at a time.
func ExportAll(dir string, segments []string) error {
	for _, seg := range segments {
		err := func() (err error) {
			r, err := spool.OpenReader(seg)
			if err != nil {
				return err
			}
			defer r.Close()
			f, err := spool.Create(filepath.Join(dir, filepath.Base(seg)))
			if err != nil {
				return err
			}
			defer func() { err = errors.Join(err, f.Close()) }()
			for {
				rec, ok := r.Next()
				if !ok {
					break
				}
				if _, err := fmt.Fprintf(f, "%s\n", rec); err != nil {
					return err
				}
			}
			return r.Err()
		}()
		if err != nil {
			return fmt.Errorf("export %s: %w", seg, err)
		}
	}
	return nil
}
