package tsbuf

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/edgehub/internal/obs"
)

// Flush writes every pending point to a new segment file and returns its
// path; with nothing pending it returns "". On failure the points stay
// buffered.
func (b *Buffer) Flush() (string, error) {
	defer obs.Trace("tsbuf.Flush")()
	pts := b.take()
	if len(pts) == 0 {
		return "", nil
	}
	path := b.nextSegment()
	if err := writeSegment(path, pts); err != nil {
		b.restore(pts, err)
		return "", err
	}
	b.noteFlushed(len(pts))
	return path, nil
}

// nextSegment allocates the path of the next segment file.
func (b *Buffer) nextSegment() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.seq++
	return filepath.Join(b.dir, fmt.Sprintf("seg-%06d.jsonl", b.seq))
}

func (b *Buffer) noteFlushed(n int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.flushed += int64(n)
	b.lastErr = nil
}

// writeSegment writes pts as JSON lines to a temporary file, syncs it and
// renames it into place, so a segment is either complete or absent.
func writeSegment(path string, pts []Point) (err error) {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	enc := json.NewEncoder(f)
	for _, p := range pts {
		if err = enc.Encode(p); err != nil {
			f.Close()
			return err
		}
	}
	if err = f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// WriteSnapshot dumps the pending points as text for the debug page.
func (b *Buffer) WriteSnapshot(path string) error {
	pts := b.copyPending()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := fmt.Fprintf(f, "# %d pending points at %s\n", len(pts), time.Now().UTC().Format(time.RFC3339)); err != nil {
		return err
	}
	for _, p := range pts {
		if _, err := fmt.Fprintf(f, "%s %g %d\n", p.Series, p.Value, p.At.UnixMilli()); err != nil {
			return err
		}
	}
	return nil
}

// ExportCSV writes pts as CSV to path for download from the config UI.
func ExportCSV(path string, pts []Point) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write([]string{"series", "value", "at"}); err != nil {
		return err
	}
	for _, p := range pts {
		rec := []string{p.Series, strconv.FormatFloat(p.Value, 'g', -1, 64), p.At.UTC().Format(time.RFC3339Nano)}
		if err := w.Write(rec); err != nil {
			return err
		}
	}
	w.Flush()
	return w.Error()
}

// ExportDaily writes one CSV file per day of pts into dir.
func ExportDaily(dir string, pts []Point) error {
	byDay := make(map[string][]Point)
	for _, p := range pts {
		day := p.At.UTC().Format("2006-01-02")
		byDay[day] = append(byDay[day], p)
	}
	for day, dayPts := range byDay {
		if err := exportDay(filepath.Join(dir, "points-"+day+".csv"), dayPts); err != nil {
			return err
		}
	}
	return nil
}

// exportDay writes one day's points as CSV.
func exportDay(path string, pts []Point) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	for _, p := range pts {
		if err := w.Write([]string{p.Series, strconv.FormatFloat(p.Value, 'g', -1, 64), p.At.UTC().Format(time.RFC3339)}); err != nil {
			return err
		}
	}
	return nil
}
