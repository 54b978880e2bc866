package history

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"time"
)

// Stats summarises the store on disk.
type Stats struct {
	Segments int
	Bytes    int64
	Oldest   time.Time
}

// Log writes the stats at info level.
func (st Stats) Log(l *slog.Logger, msg string) {
	l.Info(msg, "segments", st.Segments, "bytes", st.Bytes, "oldest", st.Oldest.Format(dayLayout))
}

// Stats is best effort: unreadable segments are skipped.
func (s *Store) Stats() Stats {
	var st Stats
	names, err := s.segments()
	if err != nil {
		return st
	}
	for _, name := range names {
		fi, err := os.Stat(name)
		if err != nil {
			continue
		}
		st.Segments++
		st.Bytes += fi.Size()
		if day, ok := segmentDay(name); ok && (st.Oldest.IsZero() || day.Before(st.Oldest)) {
			st.Oldest = day
		}
	}
	return st
}

// Prune deletes the segments of days before cutoff and logs what is left.
func (s *Store) Prune(before time.Time) (removed int, err error) {
	defer s.Stats().Log(s.log, "history pruned") // HAZ defer-call-chain
	names, err := s.segments()
	if err != nil {
		return 0, err
	}
	for _, name := range names {
		day, ok := segmentDay(name)
		if !ok || !day.Before(before) {
			continue
		}
		if err := os.Remove(name); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// PruneOlder is Prune with the summary taken after the deletions.
func (s *Store) PruneOlder(age time.Duration) (int, error) {
	n, err := s.Prune(time.Now().Add(-age))
	s.Stats().Log(s.log, "history after pruning")
	return n, err
}

// Export writes every record of the store as gzip-compressed JSON lines.
func (s *Store) Export(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for rec, err := range s.All() {
		if err != nil {
			return err
		}
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}

// ExportTo streams every record as gzip-compressed JSON lines to w.
func (s *Store) ExportTo(w io.Writer) error {
	zw := gzip.NewWriter(w)
	enc := json.NewEncoder(zw)
	for rec, err := range s.All() {
		if err != nil {
			zw.Close()
			return err
		}
		if err := enc.Encode(rec); err != nil {
			zw.Close()
			return err
		}
	}
	return zw.Close()
}

// ExportDay writes one day as gzip-compressed JSON lines. The gzip writer
// is closed first, then the file.
func (s *Store) ExportDay(day time.Time, path string) (err error) {
	recs, err := s.ReadDay(day)
	if err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(zw)
	for _, rec := range recs {
		if err := enc.Encode(rec); err != nil {
			return err
		}
	}
	return nil
}

// Verify decodes every segment and joins the per-segment errors.
func (s *Store) Verify() error {
	names, err := s.segments()
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range names {
		err := func() error {
			f, err := os.Open(name)
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = decodeAll(f)
			return err
		}()
		if err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", filepath.Base(name), err))
		}
	}
	return errors.Join(errs...)
}

// WriteIndex stores the per-job run counts next to the segments. The file
// is closed explicitly on success; the deferred Close covers error paths.
func (s *Store) WriteIndex() error {
	counts := make(map[string]int)
	for rec, err := range s.All() {
		if err != nil {
			continue
		}
		counts[rec.JobID]++
	}
	f, err := os.Create(filepath.Join(s.dir, "index.json"))
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(counts); err != nil {
		return err
	}
	return f.Close()
}

// Checkpoint writes the current sequence number and syncs it to disk.
func (s *Store) Checkpoint() error {
	s.mu.Lock()
	seq := s.seq
	s.mu.Unlock()
	f, err := os.OpenFile(filepath.Join(s.dir, "CHECKPOINT"), os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%d\n", seq); err != nil {
		return err
	}
	return f.Sync()
}
