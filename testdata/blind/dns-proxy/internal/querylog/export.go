package querylog

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
)

// countLines returns the number of entries in a segment, for the
// shipper's progress report.
func countLines(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil {
			err = cerr
		}
	}()
	n := 0
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}

// ExportCSV writes entries as CSV for spreadsheet users.
func ExportCSV(path string, entries []Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	cw := csv.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		cw.Flush()
		err = errors.Join(err, cw.Error())
	}()
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := cw.Write([]string{"time", "client", "proto", "name", "type", "rcode", "duration_us"}); err != nil {
		return err
	}
	for _, e := range entries {
		rec := []string{
			e.Time.UTC().Format("2006-01-02T15:04:05.000Z"), e.Client, e.Proto, e.Name,
			strconv.Itoa(int(e.Type)), strconv.Itoa(e.Rcode), strconv.FormatInt(e.Duration.Microseconds(), 10),
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// MergeSegments concatenates rotated segments into dst in order.
func MergeSegments(dst string, segments []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	for _, p := range segments {
		in, err := os.Open(p)
		if err != nil {
			return fmt.Errorf("merge: %w", err)
		}
		defer in.Close() // HAZ defer-in-loop
		if _, err := io.Copy(out, in); err != nil {
			return fmt.Errorf("merge %s: %w", p, err)
		}
	}
	return nil
}

// MergeSegmentsStreaming is MergeSegments for very long segment lists:
// each input is closed as soon as it has been copied.
func MergeSegmentsStreaming(dst string, segments []string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	for _, p := range segments {
		if err := func() error {
			in, err := os.Open(p)
			if err != nil {
				return err
			}
			defer in.Close()
			_, err = io.Copy(out, in)
			return err
		}(); err != nil {
			return fmt.Errorf("merge %s: %w", p, err)
		}
	}
	return nil
}
