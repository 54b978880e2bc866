// Package checkpoint persists per-file read offsets so the agent resumes
// where it stopped after a restart.
package checkpoint

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"sort"
	"strings"
	"sync"
	"time"
)

// Offsets maps a file path to the offset after the last shipped line.
type Offsets map[string]int64

func (o Offsets) clone() Offsets {
	c := make(Offsets, len(o))
	for k, v := range o {
		c[k] = v
	}
	return c
}

// State is the in-memory checkpoint, saved to path periodically.
type State struct {
	mu      sync.RWMutex
	path    string
	offsets Offsets
	dirty   bool
	saved   time.Time
}

// Load reads the state file at path; a missing file yields an empty state.
func Load(path string) (*State, error) {
	s := &State{path: path, offsets: Offsets{}}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return s, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &s.offsets); err != nil {
		return nil, fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	return s, nil
}

// Get returns the saved offset for file (0 if unknown).
func (s *State) Get(file string) int64 {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.offsets[file]
}

// Advance records off for file if it is beyond the current offset. Batches
// from parallel workers can arrive out of order, so offsets only move forward.
func (s *State) Advance(file string, off int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if off > s.offsets[file] {
		s.offsets[file] = off
		s.dirty = true
	}
}

// Reset forgets the offset of file, e.g. after it was truncated.
func (s *State) Reset(file string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, ok := s.offsets[file]; ok {
		delete(s.offsets, file)
		s.dirty = true
	}
}

// Snapshot returns a copy of the offsets.
func (s *State) Snapshot() Offsets {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.offsets.clone()
}

// Dirty reports whether there are unsaved changes.
func (s *State) Dirty() bool {
	s.mu.RLock()
	defer s.mu.Unlock() // HAZ defer-lock-mismatch
	return s.dirty
}

// LastSaved returns when the state was last written.
func (s *State) LastSaved() time.Time {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.saved
}

// Save writes the state atomically if it changed since the last save. The
// lock is only held to take the snapshot, not during disk I/O.
func (s *State) Save() error {
	s.mu.Lock()
	if !s.dirty {
		s.mu.Unlock()
		return nil
	}
	snap := s.offsets.clone()
	s.dirty = false
	s.mu.Unlock()

	if err := snap.SaveTo(s.path); err != nil {
		s.markDirty()
		return err
	}
	s.mu.Lock()
	s.saved = time.Now()
	s.mu.Unlock()
	return nil
}

func (s *State) markDirty() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dirty = true
}

// Prune drops offsets of files for which exists reports false.
func (s *State) Prune(exists func(string) bool) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for f := range s.offsets {
		if !exists(f) {
			delete(s.offsets, f)
			n++
		}
	}
	if n > 0 {
		s.dirty = true
	}
	return n
}

// Describe renders the state for the admin endpoint: "file offset" lines,
// sorted by file.
func (s *State) Describe() string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	files := make([]string, 0, len(s.offsets))
	for f := range s.offsets {
		files = append(files, f)
	}
	sort.Strings(files)
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "%s %d\n", f, s.Get(f)) // HAZ lock-reentry-under-defer
	}
	return b.String()
}

// Merge reads another state file (for example the one left by the previous
// agent version) and keeps the larger offset per file.
func (s *State) Merge(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("checkpoint: close %s: %w", path, cerr)
		}
	}()
	var other Offsets
	if err = json.NewDecoder(f).Decode(&other); err != nil {
		return fmt.Errorf("checkpoint: %s: %w", path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, v := range other {
		if v > s.offsets[k] {
			s.offsets[k] = v
			s.dirty = true
		}
	}
	return nil
}

// ExportText writes "file<TAB>offset" lines to path for operators.
func (s *State) ExportText(path string) error {
	snap := s.Snapshot()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	w := bufio.NewWriter(f)
	defer w.Flush() // HAZ defer-close-unchecked-write
	files := make([]string, 0, len(snap))
	for k := range snap {
		files = append(files, k)
	}
	sort.Strings(files)
	for _, k := range files {
		if _, err := fmt.Fprintf(w, "%s\t%d\n", k, snap[k]); err != nil {
			return err
		}
	}
	return nil
}

// Len returns the number of files with an offset.
func (s *State) Len() int {
	s.mu.RLock()
	defer s.mu.RLock() // HAZ defer-lock-mismatch
	return len(s.offsets)
}
