package settlement

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
)

func writeRows(w *csv.Writer, rows []Row) error {
	if err := w.Write(header); err != nil {
		return err
	}
	for _, r := range rows {
		if err := w.Write(r.record()); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// WriteCSV writes b as a plain CSV file.
func WriteCSV(path string, b *Batch) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := writeRows(csv.NewWriter(f), b.Rows); err != nil {
		return fmt.Errorf("settlement: write %s: %w", path, err)
	}
	return f.Close()
}

// WriteGzipCSV writes b as a gzipped CSV file.
func WriteGzipCSV(path string, b *Batch) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	zw.Name = strings.TrimSuffix(filepath.Base(path), ".gz")
	defer func() { err = errors.Join(err, zw.Close()) }()
	return writeRows(csv.NewWriter(zw), b.Rows)
}

// Compress gzips the file at src into dst and returns the bytes read.
func Compress(src, dst string) (n int64, err error) {
	in, err := os.Open(src)
	if err != nil {
		return 0, err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, out.Close()) }()
	zw.Name = filepath.Base(src)
	return io.Copy(zw, in)
}

// lineCounter counts the newlines that pass through it.
type lineCounter struct {
	r     io.Reader
	lines int
}

func (c *lineCounter) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.lines += bytes.Count(p[:n], []byte{'\n'})
	return n, err
}

// compressCounting gzips r into dst and returns the number of lines copied.
func compressCounting(r io.Reader, dst string) (lines int, err error) {
	out, err := os.Create(dst)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	lc := &lineCounter{r: r}
	if _, err := io.Copy(zw, lc); err != nil {
		return 0, err
	}
	return lc.lines, nil
}

// WriteManifest writes "sha256  name  rows" lines, one per file.
func WriteManifest(path string, entries []ManifestEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	for _, e := range entries {
		if _, err := fmt.Fprintf(bw, "%s  %s  %d\n", e.SHA256, e.Name, e.Rows); err != nil {
			return err
		}
	}
	return nil
}

// WriteSummary writes the human-readable cover sheet that operations sends to
// the bank together with the batch.
func WriteSummary(path string, s Summary) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(f, "Settlement batch %s for %s\n", s.BatchID, s.Date.Format("2006-01-02")); err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "Rows: %d\n", s.Rows); err != nil {
		return err
	}
	currencies := make([]string, 0, len(s.Totals))
	for c := range s.Totals {
		currencies = append(currencies, c)
	}
	sort.Strings(currencies)
	for _, c := range currencies {
		if _, err := fmt.Fprintf(f, "Net %s: %d\n", c, s.Totals[c]); err != nil {
			return err
		}
	}
	return nil
}

// AppendAudit appends one line to the settlement audit trail and syncs it.
func AppendAudit(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.WriteString(strings.TrimRight(line, "\n") + "\n"); err != nil {
		return err
	}
	return f.Sync()
}

// WriteRejects writes the rows the bank rejected, with the bank's reason, for
// the operations team.
func WriteRejects(path string, rows []Row, reasons map[string]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(append(slices.Clone(header), "reason")); err != nil {
		return err
	}
	for _, r := range rows {
		if err := cw.Write(append(r.record(), reasons[r.EntryID])); err != nil {
			return err
		}
	}
	return nil
}

// ExportPostings writes rows as fixed-width lines for the legacy mainframe
// feed.
func ExportPostings(path string, rows []Row) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, r := range rows {
		if _, err := fmt.Fprintf(bw, "%-24s%-32s%015d%-3s\n", r.EntryID, r.Account, r.Amount, r.Currency); err != nil {
			return err
		}
	}
	return nil
}

// WriteAtomic writes path through a temporary file renamed into place, so
// that the bank's poller never picks up a half-written file.
func WriteAtomic(path string, write func(io.Writer) error) (err error) {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	f, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	cleanup = func() { os.Remove(f.Name()) }
	if err := write(f); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		return err
	}
	cleanup = func() {}
	return nil
}
