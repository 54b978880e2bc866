package wal

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"example.com/tsdb/internal/fileutil"
)

const checkpointPrefix = "checkpoint."

// Checkpoint rewrites the records of segments [first, last] for which keep
// returns true into dir/checkpoint.<last>, so those segments can be deleted.
func Checkpoint(dir string, first, last int, keep func(rec []byte) bool) (string, error) {
	cpdir := filepath.Join(dir, fmt.Sprintf("%s%08d", checkpointPrefix, last))
	tmp := cpdir + ".tmp"
	if err := os.MkdirAll(tmp, 0o777); err != nil {
		return "", err
	}
	f, err := os.Create(filepath.Join(tmp, "00000000"))
	if err != nil {
		return "", err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	var buf []byte
	for i := first; i <= last; i++ {
		err := replaySegment(SegmentName(dir, i), func(rec []byte) error {
			if !keep(rec) {
				return nil
			}
			buf = encodeRecord(buf[:0], rec)
			_, err := f.Write(buf)
			return err
		})
		if err != nil {
			return "", fmt.Errorf("checkpoint segment %d: %w", i, err)
		}
	}
	if err := os.Rename(tmp, cpdir); err != nil {
		return "", err
	}
	return cpdir, fileutil.SyncDir(dir)
}

// LastCheckpoint returns the newest checkpoint directory and its index, or "" if none.
func LastCheckpoint(dir string) (string, int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", 0, err
	}
	best, bestIdx := "", -1
	for _, e := range entries {
		name := e.Name()
		if !e.IsDir() || !strings.HasPrefix(name, checkpointPrefix) || strings.HasSuffix(name, ".tmp") {
			continue
		}
		idx, err := strconv.Atoi(strings.TrimPrefix(name, checkpointPrefix))
		if err != nil {
			continue
		}
		if idx > bestIdx {
			best, bestIdx = filepath.Join(dir, name), idx
		}
	}
	return best, bestIdx, nil
}

// Truncate deletes the segments below index i. The active segment is never deleted.
func (w *WAL) Truncate(i int) error {
	w.mu.Lock()
	active := w.segment.Index()
	w.mu.Unlock()
	if i > active {
		i = active
	}
	refs, err := ListSegments(w.dir)
	if err != nil {
		return err
	}
	for _, r := range refs {
		if r.Index >= i {
			break
		}
		if err := os.Remove(filepath.Join(w.dir, r.Name)); err != nil {
			return fmt.Errorf("wal: remove segment %s: %w", r.Name, err)
		}
	}
	return nil
}

// ReplayCheckpoint feeds the records of the newest checkpoint to fn and
// returns its index, or -1 when there is no checkpoint.
func ReplayCheckpoint(dir string, fn func(rec []byte) error) (int, error) {
	cpdir, idx, err := LastCheckpoint(dir)
	if err != nil || cpdir == "" {
		return -1, err
	}
	if err := replaySegment(filepath.Join(cpdir, "00000000"), fn); err != nil {
		return -1, fmt.Errorf("checkpoint %s: %w", cpdir, err)
	}
	return idx, nil
}
