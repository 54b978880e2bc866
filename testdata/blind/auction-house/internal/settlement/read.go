package settlement

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// readEntries parses a ledger.
func readEntries(r io.Reader) ([]Entry, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = len(header)
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("settlement: empty ledger")
	}
	out := make([]Entry, 0, len(rows)-1)
	for i, row := range rows[1:] {
		amount, err1 := strconv.ParseInt(row[2], 10, 64)
		fee, err2 := strconv.ParseInt(row[3], 10, 64)
		closed, err3 := time.Parse(time.RFC3339, row[4])
		if err := errors.Join(err1, err2, err3); err != nil {
			return nil, fmt.Errorf("settlement: row %d: %w", i+2, err)
		}
		out = append(out, Entry{LotID: row[0], Winner: row[1], Amount: amount, Fee: fee, ClosedAt: closed})
	}
	return out, nil
}

// ReadLedger reads a ledger file.
func ReadLedger(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readEntries(bufio.NewReader(f))
}

// sumLedger returns the total amount of a ledger.
func sumLedger(r io.Reader) (int64, error) {
	entries, err := readEntries(r)
	if err != nil {
		return 0, err
	}
	var total int64
	for _, e := range entries {
		total += e.Amount
	}
	return total, nil
}

// Totals sums the amount column across ledger files (month-end report).
func Totals(paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return 0, err
		}
		defer f.Close() // HAZ defer-in-loop
		n, err := sumLedger(f)
		if err != nil {
			return 0, fmt.Errorf("%s: %w", p, err)
		}
		total += n
	}
	return total, nil
}

// Verify parses every ledger and reports the broken ones. Each file is
// opened read-only inside its own function literal and closed before the
// next; a panic of the parser is reported against the file being read.
func Verify(paths []string) []error {
	var problems []error
	for _, p := range paths {
		func() {
			f, err := os.OpenFile(p, os.O_RDONLY, 0)
			if err != nil {
				problems = append(problems, err)
				return
			}
			defer f.Close()
			defer func() {
				if r := recover(); r != nil {
					problems = append(problems, fmt.Errorf("%s: parser panic: %v", p, r))
				}
			}()
			if _, err := readEntries(f); err != nil {
				problems = append(problems, fmt.Errorf("%s: %w", p, err))
			}
		}()
	}
	return problems
}

// LoadPrevious reads the ledger of the day before day, to carry over
// unpaid lots. A missing ledger means there is nothing to carry over.
func LoadPrevious(dir string, day time.Time) ([]Entry, error) {
	f, err := os.Open(filepath.Join(dir, LedgerName(day.AddDate(0, 0, -1))))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil, nil
		}
		return nil, err
	}
	return readEntries(f)
}

// readLines returns the lines of r.
func readLines(r io.Reader) ([]string, error) {
	var lines []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}

// ReadJournal reads the bid journal of a day. When the journal was rotated
// during the day, its continuation file path+".1" is read as well.
func ReadJournal(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	lines, err := readLines(f)
	if err != nil {
		return nil, err
	}
	if _, statErr := os.Stat(path + ".1"); statErr == nil {
		f, err = os.Open(path + ".1")
		if err != nil {
			return nil, err
		}
		more, err := readLines(f)
		if err != nil {
			return nil, err
		}
		lines = append(lines, more...)
	}
	return lines, nil
}
