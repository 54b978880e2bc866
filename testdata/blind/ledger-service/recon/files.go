package recon

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strconv"
	"time"
)

// readExpectations parses "account,balance" lines into out.
func readExpectations(rd io.Reader, out map[string]int64) error {
	cr := csv.NewReader(rd)
	cr.FieldsPerRecord = 2
	cr.Comment = '#'
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		v, err := strconv.ParseInt(rec[1], 10, 64)
		if err != nil {
			return fmt.Errorf("account %s: %w", rec[0], err)
		}
		out[rec[0]] = v
	}
}

// LoadExpectations reads expected balances supplied by the bank partner.
func LoadExpectations(paths []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := readExpectations(f, out); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}

// LoadExpectationsEach closes every file before opening the next.
func LoadExpectationsEach(paths []string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, p := range paths {
		if err := loadOne(p, out); err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return out, nil
}

func loadOne(path string, out map[string]int64) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close() // ok: read-only, one per call
	return readExpectations(f, out)
}

// Report is the output of a reconciliation run.
type Report struct {
	Generated time.Time `json:"generated"`
	Diffs     []Diff    `json:"diffs"`
}

// Print writes a human-readable report.
func (rep Report) Print(w io.Writer) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(bw, "reconciliation %s: %d mismatches\n", rep.Generated.Format(time.RFC3339), len(rep.Diffs)); err != nil {
		return err
	}
	for _, d := range rep.Diffs {
		if _, err := fmt.Fprintf(bw, "%-20s balance=%d entries=%d delta=%d\n", d.Account, d.Balance, d.Entries, d.Delta()); err != nil {
			return err
		}
	}
	return nil
}

// PrintTo is Print with the final flush checked.
func (rep Report) PrintTo(w io.Writer) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "reconciliation %s: %d mismatches\n", rep.Generated.Format(time.RFC3339), len(rep.Diffs))
	for _, d := range rep.Diffs {
		fmt.Fprintf(bw, "%-20s balance=%d entries=%d delta=%d\n", d.Account, d.Balance, d.Entries, d.Delta())
	}
	return bw.Flush()
}

// RunLocked runs Run while holding the lock file, so two jobs never overlap.
func (r *Reconciler) RunLocked(ctx context.Context) ([]Diff, error) {
	f, err := os.OpenFile(r.lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recon: lock %s: %w", r.lockPath, err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	var diffs []Diff
	defer func() { // HAZ defer-ineffective-return
		if rerr := os.Remove(r.lockPath); rerr != nil && err == nil {
			err = fmt.Errorf("recon: release lock: %w", rerr)
		}
	}()
	diffs, err = r.Run(ctx)
	return diffs, err
}

// RunExclusive is RunLocked with the release error reported through a named result.
func (r *Reconciler) RunExclusive(ctx context.Context) (diffs []Diff, err error) {
	f, err := os.OpenFile(r.lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("recon: lock %s: %w", r.lockPath, err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	defer func() {
		if rerr := os.Remove(r.lockPath); rerr != nil && err == nil {
			err = fmt.Errorf("recon: release lock: %w", rerr) // ok: named result
		}
	}()
	return r.Run(ctx)
}

func writeDiffs(path string, diffs []Diff) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(diffs)
}

// exportDiffs writes diffs to path through a temporary file.
func exportDiffs(path string, diffs []Diff) error {
	tmp := path + ".tmp"
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(tmp); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}()
	if err := writeDiffs(tmp, diffs); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ExportDiffs writes diffs to path atomically and removes the temporary file
// on failure.
func ExportDiffs(path string, diffs []Diff) (err error) {
	tmp := path + ".tmp"
	defer func() {
		if err != nil {
			if rerr := os.Remove(tmp); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
				err = errors.Join(err, rerr)
			}
		}
	}()
	if err := writeDiffs(tmp, diffs); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// SaveReport writes the report next to the exported diffs.
func SaveReport(dir string, rep Report, atomic bool) error {
	path := dir + "/recon-" + rep.Generated.Format("20060102") + ".json"
	if atomic {
		return ExportDiffs(path, rep.Diffs)
	}
	return exportDiffs(path, rep.Diffs)
}
