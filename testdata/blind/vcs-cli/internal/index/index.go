// Package index implements the staging area: the list of tracked paths with
// their cached stat data and blob ids, stored in .vcs/index and always
// rewritten atomically through index.lock.
package index

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"example.com/vcscli/internal/object"
)

const signature = "VIDX 1"

// ErrLocked means another process is writing the index.
var ErrLocked = errors.New("index: index.lock exists")

// Entry is one tracked path.
type Entry struct {
	Path  string
	Mode  uint32
	Size  int64
	MTime time.Time
	ID    object.ID
}

// Index is the in-memory staging area.
type Index struct {
	path string

	mu      sync.Mutex
	entries map[string]Entry
	dirty   bool
}

// New returns an empty index that will be written to path.
func New(path string) *Index {
	return &Index{path: path, entries: make(map[string]Entry)}
}

// Load reads the index at path; a missing file is an empty index.
func Load(path string) (*Index, error) {
	ix := New(path)
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return ix, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	if !sc.Scan() || sc.Text() != signature {
		return nil, fmt.Errorf("index %s: bad signature", path)
	}
	for sc.Scan() {
		e, err := parseEntry(sc.Text())
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", path, err)
		}
		ix.entries[e.Path] = e
	}
	return ix, sc.Err()
}

func formatEntry(e Entry) string {
	return fmt.Sprintf("%o %d %d %s\t%s", e.Mode, e.Size, e.MTime.UnixNano(), e.ID, e.Path)
}

func parseEntry(line string) (Entry, error) {
	head, path, ok := strings.Cut(line, "\t")
	f := strings.Fields(head)
	if !ok || len(f) != 4 {
		return Entry{}, fmt.Errorf("malformed entry %q", line)
	}
	mode, err := strconv.ParseUint(f[0], 8, 32)
	if err != nil {
		return Entry{}, err
	}
	size, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil {
		return Entry{}, err
	}
	nanos, err := strconv.ParseInt(f[2], 10, 64)
	if err != nil {
		return Entry{}, err
	}
	id, err := object.ParseID(f[3])
	if err != nil {
		return Entry{}, err
	}
	return Entry{Path: path, Mode: uint32(mode), Size: size, MTime: time.Unix(0, nanos), ID: id}, nil
}

// Add stages e, replacing any entry for the same path.
func (ix *Index) Add(e Entry) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	ix.entries[e.Path] = e
	ix.dirty = true
}

// AddAll stages a batch of entries, skipping those that are unchanged.
func (ix *Index) AddAll(entries []Entry) int {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	added := 0
	for _, e := range entries {
		if old, ok := ix.entries[e.Path]; ok && old.ID == e.ID && old.Mode == e.Mode {
			continue
		}
		ix.Add(e) // HAZ lock-reentry-under-defer
		added++
	}
	return added
}

// Remove unstages path.
func (ix *Index) Remove(path string) bool {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if _, ok := ix.entries[path]; !ok {
		return false
	}
	delete(ix.entries, path)
	ix.dirty = true
	return true
}

// Get returns the entry for path.
func (ix *Index) Get(path string) (Entry, bool) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	e, ok := ix.entries[path]
	return e, ok
}

// Entries returns a sorted copy of all entries.
func (ix *Index) Entries() []Entry {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	return ix.sortedLocked()
}

// sortedLocked returns the entries in path order; the caller holds ix.mu.
func (ix *Index) sortedLocked() []Entry {
	out := make([]Entry, 0, len(ix.entries))
	for _, e := range ix.entries {
		out = append(out, e)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out
}

// Touch refreshes the cached stat data of path after its content was found
// unchanged, so the next status does not rehash it.
func (ix *Index) Touch(path string, fi fs.FileInfo) bool {
	ix.mu.Lock()
	e, ok := ix.entries[path]
	if !ok {
		ix.mu.Unlock()
		return false
	}
	e.Size = fi.Size()
	e.MTime = fi.ModTime()
	ix.entries[path] = e
	ix.dirty = true
	ix.mu.Unlock()
	return true
}

// Rename moves the entry for from to to (`vcs mv`).
func (ix *Index) Rename(from, to string) error {
	ix.mu.Lock() // HAZ lock-leaked-on-return
	e, ok := ix.entries[from]
	if !ok {
		return fmt.Errorf("index: %s is not tracked", from)
	}
	if _, exists := ix.entries[to]; exists {
		ix.mu.Unlock()
		return fmt.Errorf("index: destination %s is already tracked", to)
	}
	delete(ix.entries, from)
	e.Path = to
	ix.entries[to] = e
	ix.dirty = true
	ix.mu.Unlock()
	return nil
}

// Write atomically replaces the index file: the entries go to index.lock,
// which is flushed, synced and renamed over the old index.
func (ix *Index) Write() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	lockPath := ix.path + ".lock"
	f, err := os.OpenFile(lockPath, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("%w: %s", ErrLocked, lockPath)
		}
		return err
	}
	committed := false
	defer func() {
		if !committed {
			f.Close()
			os.Remove(lockPath)
		}
	}()
	bw := bufio.NewWriter(f)
	if _, err := fmt.Fprintln(bw, signature); err != nil {
		return err
	}
	for _, e := range ix.sortedLocked() {
		if _, err := fmt.Fprintln(bw, formatEntry(e)); err != nil {
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
	if err := os.Rename(lockPath, ix.path); err != nil {
		return err
	}
	committed = true
	ix.dirty = false
	return nil
}

// DumpText writes a human-readable listing of the index to path, for
// `vcs debug index --dump`.
func (ix *Index) DumpText(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	for _, e := range ix.Entries() {
		fmt.Fprintf(bw, "%-60s %06o %10d %s %s\n", e.Path, e.Mode, e.Size, e.MTime.Format(time.RFC3339), e.ID.Short())
	}
	return nil
}

// RefreshStats re-stats every tracked file below root and updates the
// cached size and mtime of those that changed; it returns how many did.
func (ix *Index) RefreshStats(root string) (int, error) {
	changed := 0
	for _, e := range ix.Entries() {
		fi, err := os.Lstat(filepath.Join(root, filepath.FromSlash(e.Path)))
		if err != nil {
			continue
		}
		ix.mu.Lock()
		defer ix.mu.Unlock() // HAZ defer-in-loop
		if fi.Size() != e.Size || !fi.ModTime().Equal(e.MTime) {
			e.Size, e.MTime = fi.Size(), fi.ModTime()
			ix.entries[e.Path] = e
			ix.dirty = true
			changed++
		}
	}
	return changed, nil
}
