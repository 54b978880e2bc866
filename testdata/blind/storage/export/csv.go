package export

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteCSV writes a header and rows to path.
func WriteCSV(path string, header []string, rows [][]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	return w.WriteAll(rows)
}

// ExportCSV is WriteCSV with the close error reported.
func ExportCSV(path string, header []string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write(header); err != nil {
		return err
	}
	return w.WriteAll(rows)
}

// WriteCSVAtomic writes the CSV through WriteFileAtomic.
func WriteCSVAtomic(path string, header []string, rows [][]string) error {
	return WriteFileAtomic(path, 0o644, func(out io.Writer) error {
		w := csv.NewWriter(out)
		if err := w.Write(header); err != nil {
			return err
		}
		for _, row := range rows {
			if err := w.Write(row); err != nil {
				return err
			}
		}
		w.Flush()
		return w.Error()
	})
}

// StreamCSV writes rows as they arrive on the channel until it is closed.
func StreamCSV(path string, header []string, rows <-chan []string) (n int, err error) {
	f, err := os.Create(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	w := csv.NewWriter(f)
	defer func() {
		w.Flush()
		if ferr := w.Error(); err == nil {
			err = ferr
		}
	}()
	if err := w.Write(header); err != nil {
		return 0, err
	}
	for row := range rows {
		if err := w.Write(row); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// ReadCSV loads a CSV file and checks that every row has the header's width.
func ReadCSV(path string) (header []string, rows [][]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close() // ok: read-only
	r := csv.NewReader(f)
	all, err := r.ReadAll()
	if err != nil {
		return nil, nil, err
	}
	if len(all) == 0 {
		return nil, nil, fmt.Errorf("export: %s: empty CSV", path)
	}
	return all[0], all[1:], nil
}
