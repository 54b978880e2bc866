package wal

import (
	"bufio"
	"log"
	"os"
	"path/filepath"

	"example.com/leaselock/internal/metrics"
)

// Compact drops every record with an index <= upTo from the sealed
// segments (the active segment is never touched). Segments left empty are
// removed; straddling segments are rewritten through a temp file and an
// atomic rename. It returns the number of records dropped.
func (l *Log) Compact(upTo uint64) (removed int, err error) {
	defer metrics.Trace("wal_compact")()
	active := l.ActiveSegment()
	names, err := segmentNames(l.dir)
	if err != nil {
		return 0, err
	}
	for _, name := range names {
		if name >= active {
			break
		}
		path := filepath.Join(l.dir, name)
		recs, err := ReadSegment(path)
		if err != nil {
			return removed, err
		}
		keep := make([]Record, 0, len(recs))
		for _, r := range recs {
			if r.Index > upTo {
				keep = append(keep, r)
			}
		}
		switch {
		case len(keep) == len(recs):
			continue
		case len(keep) == 0:
			if err := os.Remove(path); err != nil {
				return removed, err
			}
		default:
			if err := rewriteSegment(path, keep); err != nil {
				return removed, err
			}
		}
		removed += len(recs) - len(keep)
	}
	if removed > 0 {
		log.Printf("wal: compaction below index %d dropped %d records", upTo, removed)
	}
	return removed, syncDir(l.dir)
}

// rewriteSegment atomically replaces the segment at path with recs.
func rewriteSegment(path string, recs []Record) error {
	tmp := path + ".compact"
	f, err := os.OpenFile(tmp, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer os.Remove(tmp) // no-op once renamed
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, r := range recs {
		if err := encodeRecord(bw, r); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// syncDir fsyncs a directory so that renames and removals in it are
// durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
