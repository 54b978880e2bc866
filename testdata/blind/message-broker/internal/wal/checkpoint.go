package wal

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Checkpoint records the durable state of a log at a point in time.
type Checkpoint struct {
	NextOffset   int64            `json:"next_offset"`
	OldestOffset int64            `json:"oldest_offset"`
	Segments     []int64          `json:"segments"`
	KeyOffsets   map[string]int64 `json:"key_offsets,omitempty"`
}

// Checkpoint builds a checkpoint of the current log state.
func (l *Log) Checkpoint() Checkpoint {
	l.mu.RLock()
	defer l.mu.RUnlock()
	cp := Checkpoint{NextOffset: l.active.next, OldestOffset: l.segments[0].base}
	for _, s := range l.segments {
		cp.Segments = append(cp.Segments, s.base)
	}
	return cp
}

// WriteCheckpoint atomically replaces path with cp: write to a temp file,
// fsync, close (checked), rename.
func WriteCheckpoint(path string, cp Checkpoint) (err error) {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	if err := json.NewEncoder(f).Encode(cp); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// ReadCheckpoint loads a checkpoint written by WriteCheckpoint.
func ReadCheckpoint(path string) (Checkpoint, error) {
	f, err := os.Open(path)
	if err != nil {
		return Checkpoint{}, err
	}
	defer f.Close()
	var cp Checkpoint
	if err := json.NewDecoder(f).Decode(&cp); err != nil {
		return Checkpoint{}, fmt.Errorf("wal: checkpoint %s: %w", path, err)
	}
	return cp, nil
}

// writeKeySnapshot dumps the key -> offset table used by compaction.
func writeKeySnapshot(path string, offsets map[string]int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	keys := make([]string, 0, len(offsets))
	for k := range offsets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%q %d\n", k, offsets[k]); err != nil {
			return err
		}
	}
	return nil
}

// writeKeySnapshotSafe is the fixed variant: defer f.Close() as a safety
// net for early returns, plus the checked Close on the success path.
func writeKeySnapshotSafe(path string, offsets map[string]int64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	keys := make([]string, 0, len(offsets))
	for k := range offsets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%q %d\n", k, offsets[k]); err != nil {
			return err
		}
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// SnapshotKeys writes the compaction key table next to the log.
func (l *Log) SnapshotKeys() error {
	latest, err := l.compactSegmentsScoped(l.Segments())
	if err != nil {
		return err
	}
	return writeKeySnapshotSafe(filepath.Join(l.dir, "keys.snapshot"), latest)
}

// DumpKeys writes the key table for debugging tools.
func (l *Log) DumpKeys(path string) error {
	latest, err := l.compactSegmentsScoped(l.Segments())
	if err != nil {
		return err
	}
	return writeKeySnapshot(path, latest)
}

// RestoreSegment restores an archived segment into the log directory.
func (l *Log) RestoreSegment(archive string, base int64) error {
	dst := segmentName(l.dir, base)
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("wal: segment %d already present", base)
	} else if !errors.Is(err, os.ErrNotExist) {
		return err
	}
	if err := restoreArchive(archive, dst); err != nil {
		return err
	}
	got, err := readSegmentHeader(dst)
	if err != nil {
		return err
	}
	if got != base {
		return fmt.Errorf("wal: archive holds base %d, want %d", got, base)
	}
	return nil
}
