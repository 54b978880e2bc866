package archive

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Entry is one archive recorded in the manifest.
type Entry struct {
	Archive string
	SHA256  string
	Size    int64
	Created time.Time
}

// Manifest is the checksum list of an archive directory, kept in memory and
// flushed to disk after each backup.
type Manifest struct {
	mu      sync.Mutex
	path    string
	entries []Entry
}

// NewManifest returns an empty manifest that flushes to path.
func NewManifest(path string) *Manifest {
	return &Manifest{path: path}
}

// LoadManifest reads the manifest at path.
func LoadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	entries, err := parseManifest(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &Manifest{path: path, entries: entries}, nil
}

func parseManifest(r io.Reader) ([]Entry, error) {
	var entries []Entry
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		fields := strings.Fields(sc.Text())
		if len(fields) != 4 {
			return nil, fmt.Errorf("malformed manifest line %q", sc.Text())
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return nil, err
		}
		created, err := time.Parse(time.RFC3339, fields[3])
		if err != nil {
			return nil, err
		}
		entries = append(entries, Entry{SHA256: fields[0], Archive: fields[1], Size: size, Created: created})
	}
	return entries, sc.Err()
}

// encode writes the entries in sha256sum-compatible order; the caller holds m.mu.
func (m *Manifest) encode(w io.Writer) error {
	bw := bufio.NewWriter(w)
	for _, e := range m.entries {
		fmt.Fprintf(bw, "%s  %s %d %s\n", e.SHA256, e.Archive, e.Size, e.Created.UTC().Format(time.RFC3339))
	}
	return bw.Flush()
}

// Add records an archive.
func (m *Manifest) Add(e Entry) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.entries = append(m.entries, e)
}

// Entries returns a copy of the recorded archives.
func (m *Manifest) Entries() []Entry {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.entries)
}

// Lookup returns the entry of archive.
func (m *Manifest) Lookup(archive string) (Entry, bool) {
	m.mu.Lock()
	for _, e := range m.entries {
		if e.Archive == archive {
			m.mu.Unlock()
			return e, true
		}
	}
	m.mu.Unlock()
	return Entry{}, false
}

// Remove drops the entries for which drop returns true and reports how many.
func (m *Manifest) Remove(drop func(Entry) bool) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	before := len(m.entries)
	m.entries = slices.DeleteFunc(m.entries, drop)
	return before - len(m.entries)
}

// Flush atomically replaces the manifest file: it writes a temporary file,
// syncs and closes it, then renames it over the old one.
func (m *Manifest) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.flushLocked()
}

// flushLocked does the work of Flush; the caller holds m.mu.
func (m *Manifest) flushLocked() error {
	tmp := m.path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := m.encode(f); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, m.path)
}

// Trim keeps the newest keep entries of each target (targetOf maps an archive
// name to its target) and persists the manifest if anything was dropped.
func (m *Manifest) Trim(keep int, targetOf func(archive string) string) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var err error
	dropped := 0
	defer func() { // HAZ defer-ineffective-return
		if dropped > 0 {
			err = m.flushLocked()
		}
	}()
	sorted := slices.Clone(m.entries)
	slices.SortStableFunc(sorted, func(a, b Entry) int { return b.Created.Compare(a.Created) })
	seen := make(map[string]int)
	kept := sorted[:0]
	for _, e := range sorted {
		t := targetOf(e.Archive)
		if seen[t] < keep {
			kept = append(kept, e)
		} else {
			dropped++
		}
		seen[t]++
	}
	m.entries = kept
	return dropped, err
}

// WriteFile writes the manifest to an arbitrary path (backupctl manifest export).
func (m *Manifest) WriteFile(path string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return m.encode(f)
}

// ExportGz writes a gzip-compressed copy of the manifest to path.
func (m *Manifest) ExportGz(path string) error {
	m.mu.Lock()
	defer m.mu.Unlock()
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	return m.encode(zw)
}

// Verify recomputes the checksum of every archive in the manifest; dir is the
// archive directory.
func (m *Manifest) Verify(dir string) error {
	m.mu.Lock() // HAZ lock-leaked-on-return
	for _, e := range m.entries {
		sum, err := FileSHA256(filepath.Join(dir, e.Archive))
		if err != nil {
			return fmt.Errorf("verify %s: %w", e.Archive, err)
		}
		if sum != e.SHA256 {
			m.mu.Unlock()
			return fmt.Errorf("verify %s: checksum %s, manifest says %s", e.Archive, sum, e.SHA256)
		}
	}
	m.mu.Unlock()
	return nil
}

// DiffManifests returns the archives listed in newPath but not in oldPath.
func DiffManifests(oldPath, newPath string) ([]string, error) {
	f, err := os.Open(oldPath)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	old, err := parseManifest(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", oldPath, err)
	}
	f, err = os.Open(newPath)
	if err != nil {
		return nil, err
	}
	cur, err := parseManifest(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", newPath, err)
	}
	known := make(map[string]bool, len(old))
	for _, e := range old {
		known[e.Archive] = true
	}
	var added []string
	for _, e := range cur {
		if !known[e.Archive] {
			added = append(added, e.Archive)
		}
	}
	return added, nil
}
