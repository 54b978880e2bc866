// Package extract reads records from files, archives, HTTP exports and the
// database.
package extract

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"

	"example.com/etl/internal/record"
)

// DecodeCSV reads CSV from r; the first row is the header. name is used in
// error messages only.
func DecodeCSV(r io.Reader, name string) ([]record.Record, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, fmt.Errorf("%s: header: %w", name, err)
	}
	schema := record.Schema(header)
	var out []record.Record
	for line := 2; ; line++ {
		vals, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		rec, err := schema.FromValues(vals)
		if err != nil {
			return nil, fmt.Errorf("%s:%d: %w", name, line, err)
		}
		out = append(out, rec)
	}
}

// ReadCSV reads a whole CSV file.
func ReadCSV(path string) ([]record.Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return DecodeCSV(f, path)
}

// ReadCSVFiles concatenates several CSV exports, e.g. daily partitions.
func ReadCSVFiles(paths []string) ([]record.Record, error) {
	var all []record.Record
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		recs, err := DecodeCSV(f, p)
		if err != nil {
			return nil, err
		}
		all = append(all, recs...)
	}
	return all, nil
}

// ReadCSVDir reads every *.csv file in dir in name order, one open file at
// a time.
func ReadCSVDir(dir string) ([]record.Record, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.csv"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var all []record.Record
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			recs, err := DecodeCSV(f, p)
			if err != nil {
				return err
			}
			all = append(all, recs...)
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	return all, nil
}

// StreamCSV sends the rows of path on out until EOF or until ctx is done.
// It does not close out: several files may feed the same channel.
func StreamCSV(ctx context.Context, path string, out chan<- record.Record) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cr := csv.NewReader(f)
	header, err := cr.Read()
	if err != nil {
		return fmt.Errorf("%s: header: %w", path, err)
	}
	schema := record.Schema(header)
	for {
		vals, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		rec, err := schema.FromValues(vals)
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		select {
		case out <- rec:
		case <-ctx.Done():
			return ctx.Err()
		}
	}
}

// StreamAll streams several CSV files concurrently into out and closes out
// when they are done.
func StreamAll(ctx context.Context, paths []string, out chan<- record.Record) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(paths))
	for _, p := range paths {
		go func() { errc <- StreamCSV(ctx, p, out) }()
	}
	for range paths {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// ReadPair reads two CSV files concurrently, e.g. the two sides of a
// comparison.
func ReadPair(a, b string) (ra, rb []record.Record, err error) {
	type result struct {
		recs []record.Record
		err  error
	}
	ch := make(chan result)
	go func() {
		recs, err := ReadCSV(b)
		ch <- result{recs, err} // HAZ goroutine-blocked-send
	}()
	ra, err = ReadCSV(a)
	if err != nil {
		return nil, nil, err
	}
	r := <-ch
	return ra, r.recs, r.err
}
