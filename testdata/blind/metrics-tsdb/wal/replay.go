package wal

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
)

// Replay reads every record of every segment of dir in order and calls fn.
// A damaged segment yields a *CorruptionErr.
func Replay(dir string, fn func(rec []byte) error) error {
	refs, err := ListSegments(dir)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		f, err := os.Open(filepath.Join(dir, ref.Name))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		r := NewReader(bufio.NewReaderSize(f, 1<<20))
		for r.Next() {
			if err := fn(r.Record()); err != nil {
				return fmt.Errorf("segment %s: %w", ref.Name, err)
			}
		}
		if err := r.Err(); err != nil {
			return &CorruptionErr{Segment: ref.Index, Offset: r.Offset(), Err: err}
		}
	}
	return nil
}

// replaySegment reads the records of one segment file.
func replaySegment(path string, fn func(rec []byte) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	r := NewReader(bufio.NewReader(f))
	for r.Next() {
		if err := fn(r.Record()); err != nil {
			return err
		}
	}
	return r.Err()
}

// Repair cuts the corrupted segment at the last good record and deletes all
// later segments, so that the WAL can be opened for writing again.
func Repair(dir string, cerr *CorruptionErr) error {
	refs, err := ListSegments(dir)
	if err != nil {
		return err
	}
	for _, ref := range refs {
		if ref.Index <= cerr.Segment {
			continue
		}
		if err := os.Remove(filepath.Join(dir, ref.Name)); err != nil {
			return err
		}
	}
	f, err := os.OpenFile(SegmentName(dir, cerr.Segment), os.O_WRONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := f.Truncate(cerr.Offset); err != nil {
		return fmt.Errorf("truncate segment %d: %w", cerr.Segment, err)
	}
	return f.Sync()
}
