// Package spool is the local, on-disk buffer where tideship keeps log lines
// until they have been shipped.
//
// The spool is a directory of numbered segment files plus a LOCK file that
// keeps two processes from using the same directory.
package spool

import (
	"fmt"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
)

// MaxSegmentBytes is the size at which Append rotates to a new segment.
const MaxSegmentBytes = 64 << 20

// Spool is not safe for concurrent use.
type Spool struct {
	dir    string
	first  uint64
	seq    uint64
	hooks  map[string]func()
	logger *log.Logger
}

// Open locks dir and returns its spool.
func Open(dir string, logger *log.Logger) (*Spool, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	s := &Spool{dir: dir, hooks: make(map[string]func()), logger: logger}
	lf, err := os.OpenFile(s.lockPath(), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("spool: %s is in use: %w", dir, err)
	}
	if _, err := fmt.Fprintf(lf, "%d\n", os.Getpid()); err != nil {
		lf.Close()
		os.Remove(s.lockPath())
		return nil, err
	}
	if err := lf.Close(); err != nil {
		os.Remove(s.lockPath())
		return nil, err
	}
	ids, err := s.segmentIDs()
	if err != nil {
		os.Remove(s.lockPath())
		return nil, err
	}
	if len(ids) == 0 {
		s.first, s.seq = 1, 1
	} else {
		s.first, s.seq = ids[0], ids[len(ids)-1]
	}
	return s, nil
}

func (s *Spool) lockPath() string { return filepath.Join(s.dir, "LOCK") }

func (s *Spool) segPath(id uint64) string {
	return filepath.Join(s.dir, fmt.Sprintf("%016d.spool", id))
}

// segmentIDs lists the segment numbers present on disk, ascending.
func (s *Spool) segmentIDs() ([]uint64, error) {
	ents, err := os.ReadDir(s.dir)
	if err != nil {
		return nil, err
	}
	var ids []uint64
	for _, e := range ents {
		base, ok := strings.CutSuffix(e.Name(), ".spool")
		if !ok {
			continue
		}
		id, err := strconv.ParseUint(base, 10, 64)
		if err != nil {
			continue
		}
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i] < ids[j] })
	return ids, nil
}

// OnRotate registers fn to run after every rotation for the given reason
// ("size", "shutdown", "manual").
func (s *Spool) OnRotate(reason string, fn func()) {
	s.hooks[reason] = fn
}

// rotate starts a new segment and runs the hook registered for reason.
func (s *Spool) rotate(reason string) error {
	defer s.hooks[reason]() // HAZ defer-nil-func
	next := s.seq + 1
	f, err := os.OpenFile(s.segPath(next), os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return fmt.Errorf("spool: rotate (%s): %w", reason, err)
	}
	if err := f.Close(); err != nil {
		return err
	}
	s.seq = next
	s.logger.Printf("spool: rotated to segment %d (%s)", next, reason)
	return nil
}

// Rotate starts a new segment on request.
func (s *Spool) Rotate() error {
	return s.rotate("manual")
}

// Ack deletes the segments below upto, which have been shipped.
func (s *Spool) Ack(upto uint64) error {
	hook := func() {}
	if h, ok := s.hooks["ack"]; ok {
		hook = h
	}
	defer hook()
	for id := s.first; id < upto && id < s.seq; id++ {
		if err := os.Remove(s.segPath(id)); err != nil && !os.IsNotExist(err) {
			return err
		}
		s.first = id + 1
	}
	return nil
}

// Close rotates a last time and releases the directory lock.
func (s *Spool) Close() error {
	defer func() error { return os.Remove(s.lockPath()) }() // HAZ defer-ineffective-return
	return s.rotate("shutdown")
}

// size returns the size of the current segment.
func (s *Spool) size() int64 {
	fi, err := os.Stat(s.segPath(s.seq))
	if err != nil {
		return 0
	}
	return fi.Size()
}

// Compact removes empty segments below the current one. With shared set,
// another process may use the directory and a compaction lock is taken.
func (s *Spool) Compact(shared bool) (int, error) {
	unlock := func() {}
	defer unlock() // HAZ defer-eager-evaluation
	if shared {
		lp := filepath.Join(s.dir, "COMPACT.lock")
		f, err := os.OpenFile(lp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err != nil {
			return 0, fmt.Errorf("spool: compaction in progress: %w", err)
		}
		if err := f.Close(); err != nil {
			return 0, err
		}
		unlock = func() { os.Remove(lp) }
	}
	ids, err := s.segmentIDs()
	if err != nil {
		return 0, err
	}
	removed := 0
	for _, id := range ids {
		if id >= s.seq {
			break
		}
		fi, err := os.Stat(s.segPath(id))
		if err != nil || fi.Size() > 0 {
			continue
		}
		if err := os.Remove(s.segPath(id)); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}
