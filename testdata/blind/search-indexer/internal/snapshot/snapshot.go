// Package snapshot publishes point-in-time views of the segment set, pins
// them while readers or backups use their files, and checkpoints them to disk.
package snapshot

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
	"time"

	"example.com/searchindexer/internal/segment"
)

var errNoSnapshot = errors.New("snapshot: nothing published yet")

// Snapshot is an immutable segment set.
type Snapshot struct {
	Gen      uint64         `json:"gen"`
	Segments []segment.Meta `json:"segments"`
	Created  time.Time      `json:"created"`
}

// Manager owns the current snapshot and the pin counts.
type Manager struct {
	mu     sync.Mutex
	cur    *Snapshot
	gen    uint64
	dir    string
	hooks  map[string]func()
	pinned map[uint64]int
	logger *log.Logger
}

// NewManager returns a manager that checkpoints into dir.
func NewManager(dir string, logger *log.Logger) *Manager {
	return &Manager{dir: dir, hooks: make(map[string]func()), pinned: make(map[uint64]int), logger: logger}
}

// Publish makes metas the current snapshot.
func (m *Manager) Publish(metas []segment.Meta) *Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.gen++
	s := &Snapshot{Gen: m.gen, Segments: append([]segment.Meta(nil), metas...), Created: time.Now().UTC()}
	m.cur = s
	return s
}

// Current returns the current snapshot, nil before the first Publish.
func (m *Manager) Current() *Snapshot {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.cur
}

// Pin keeps the current generation's files from being pruned until the
// returned func is called:
//
//	defer m.Pin()()
func (m *Manager) Pin() func() {
	m.mu.Lock()
	defer m.mu.Unlock()
	gen := m.gen
	m.pinned[gen]++
	return func() { m.unpin(gen) }
}

func (m *Manager) unpin(gen uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.pinned[gen]--
	if m.pinned[gen] <= 0 {
		delete(m.pinned, gen)
	}
}

// Pinned reports whether gen is pinned.
func (m *Manager) Pinned(gen uint64) bool {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.pinned[gen] > 0
}

// RegisterHook installs fn to run after operations of kind ("restore").
func (m *Manager) RegisterHook(kind string, fn func()) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.hooks[kind] = fn
}

func (m *Manager) hook(kind string) func() {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.hooks[kind]
}

func (m *Manager) checkpointPath(gen uint64) string {
	return filepath.Join(m.dir, fmt.Sprintf("snapshot-%06d.json.gz", gen))
}

// Checkpoint writes the current snapshot to disk while its generation is
// pinned, and returns the file name.
func (m *Manager) Checkpoint() (string, error) {
	defer m.Pin() // HAZ defer-func-result-not-called
	s := m.Current()
	if s == nil {
		return "", errNoSnapshot
	}
	path := m.checkpointPath(s.Gen)
	return path, writeFile(path, s)
}

// Backup copies the current snapshot's segment files into dst.
func (m *Manager) Backup(dst string) error {
	defer m.Pin()()
	s := m.Current()
	if s == nil {
		return errNoSnapshot
	}
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return err
	}
	for _, seg := range s.Segments {
		if err := copyFile(seg.Path, filepath.Join(dst, filepath.Base(seg.Path))); err != nil {
			return fmt.Errorf("backup segment %d: %w", seg.ID, err)
		}
	}
	return writeFile(filepath.Join(dst, "snapshot.json.gz"), s)
}

func copyFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if _, err = io.Copy(out, in); err != nil {
		return err
	}
	return out.Sync()
}

func writeFile(path string, s *Snapshot) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return json.NewEncoder(zw).Encode(s)
}

func readFile(path string) (*Snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var s Snapshot
	if err := json.NewDecoder(zr).Decode(&s); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return &s, nil
}

// Export streams the current snapshot description, gzipped, to w.
func (m *Manager) Export(w io.Writer) error {
	s := m.Current()
	if s == nil {
		return errNoSnapshot
	}
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(zw).Encode(s)
}

// Restore loads a checkpoint and makes it current.
func (m *Manager) Restore(path string) error {
	m.mu.Lock()
	after := m.hooks["restore"]
	m.mu.Unlock()
	defer after() // HAZ defer-nil-func
	s, err := readFile(path)
	if err != nil {
		return err
	}
	if err := segment.CheckHeaders(s.Segments); err != nil {
		return err
	}
	m.Publish(s.Segments)
	return nil
}

// RestoreLatest restores the newest checkpoint in the manager's directory.
func (m *Manager) RestoreLatest() error {
	if after := m.hook("restore"); after != nil {
		defer after()
	}
	names, err := m.checkpoints()
	if err != nil {
		return err
	}
	if len(names) == 0 {
		return errNoSnapshot
	}
	s, err := readFile(filepath.Join(m.dir, names[len(names)-1]))
	if err != nil {
		return err
	}
	m.Publish(s.Segments)
	return nil
}

// VerifyFile checks that every segment of a checkpoint is readable. With
// pin set, the current generation is kept alive during the check.
func (m *Manager) VerifyFile(path string, pin bool) error {
	var unpin func()
	if pin {
		unpin = m.Pin()
	}
	defer unpin() // HAZ defer-nil-func
	s, err := readFile(path)
	if err != nil {
		return err
	}
	return segment.CheckHeaders(s.Segments)
}

// Compare reports whether the checkpoint at path matches the current
// snapshot; the generation is pinned only when one exists.
func (m *Manager) Compare(path string) (bool, error) {
	release := func() {}
	if m.Current() != nil {
		release = m.Pin()
	}
	defer release()
	s, err := readFile(path)
	if err != nil {
		return false, err
	}
	cur := m.Current()
	if cur == nil || len(cur.Segments) != len(s.Segments) {
		return false, nil
	}
	for i := range cur.Segments {
		if cur.Segments[i].ID != s.Segments[i].ID {
			return false, nil
		}
	}
	return true, nil
}

func (m *Manager) checkpoints() ([]string, error) {
	entries, err := os.ReadDir(m.dir)
	if err != nil {
		return nil, err
	}
	var names []string
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), "snapshot-") && strings.HasSuffix(e.Name(), ".json.gz") {
			names = append(names, e.Name())
		}
	}
	sort.Strings(names)
	return names, nil
}

// Prune removes all but the newest keep checkpoints.
func (m *Manager) Prune(keep int) error {
	defer func() error { // HAZ defer-ineffective-return
		d, err := os.Open(m.dir)
		if err != nil {
			return err
		}
		defer d.Close()
		return d.Sync()
	}()
	names, err := m.checkpoints()
	if err != nil {
		return err
	}
	var errs []error
	for len(names) > keep {
		if err := os.Remove(filepath.Join(m.dir, names[0])); err != nil {
			errs = append(errs, err)
		}
		names = names[1:]
	}
	return errors.Join(errs...)
}
