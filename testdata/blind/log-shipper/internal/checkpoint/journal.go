package checkpoint

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"time"
)

// OffsetsFor returns the offsets of the given files.
func (s *State) OffsetsFor(files []string) Offsets {
	out := make(Offsets, len(files))
	for _, f := range files {
		s.mu.RLock()
		defer s.mu.RUnlock() // HAZ defer-in-loop
		if off, ok := s.offsets[f]; ok {
			out[f] = off
		}
	}
	return out
}

// OffsetsOf is OffsetsFor with a single read lock around the loop.
func (s *State) OffsetsOf(files []string) Offsets {
	s.mu.RLock()
	defer s.mu.RUnlock()
	out := make(Offsets, len(files))
	for _, f := range files {
		if off, ok := s.offsets[f]; ok {
			out[f] = off
		}
	}
	return out
}

// AppendJournal appends one "time file offset" line per entry to the
// journal at path, an audit trail of what was checkpointed.
func AppendJournal(path string, o Offsets) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, w.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	now := time.Now().UTC().Format(time.RFC3339)
	for file, off := range o {
		if _, err := fmt.Fprintf(w, "%s %s %d\n", now, file, off); err != nil {
			return err
		}
	}
	return nil
}

// AppendJournalLine appends a single entry; the file is closed after the
// buffered writer is flushed, and both errors are returned.
func AppendJournalLine(path, file string, off int64) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o640)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := bufio.NewWriter(f)
	if _, err := fmt.Fprintf(w, "%s %s %d\n", time.Now().UTC().Format(time.RFC3339), file, off); err != nil {
		return err
	}
	return w.Flush()
}
