package npm

import (
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

// fileLock is an advisory lock implemented with an O_EXCL file, shared by
// the mirror daemon and the npmsync cron job.
type fileLock struct {
	path string
}

// lockFile takes the lock at path or fails if another process holds it.
func lockFile(path string) (*fileLock, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("npm: %s is locked by another process", path)
	}
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()))
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &fileLock{path: path}, nil
}

// unlock releases the lock.
func (l *fileLock) unlock() error {
	return os.Remove(l.path)
}

// writeJSONFile writes v to path atomically.
func writeJSONFile(path string, v any) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if err = json.NewEncoder(tmp).Encode(v); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteIndex persists the cached packuments under the mirror's file lock.
func (m *Mirror) WriteIndex() error {
	lock, err := lockFile(filepath.Join(m.dir, ".lock"))
	if err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := lock.unlock(); err != nil {
			return fmt.Errorf("npm: unlock: %w", err)
		}
		return nil
	}()
	m.mu.RLock()
	snapshot := make(map[string]*Packument, len(m.packuments))
	for name, p := range m.packuments {
		snapshot[name] = p
	}
	m.mu.RUnlock()
	return writeJSONFile(filepath.Join(m.dir, "packuments.json"), snapshot)
}

// LoadIndex reads what WriteIndex wrote.
func (m *Mirror) LoadIndex() error {
	f, err := os.Open(filepath.Join(m.dir, "packuments.json"))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	defer f.Close()
	var snapshot map[string]*Packument
	if err := json.NewDecoder(f).Decode(&snapshot); err != nil {
		return fmt.Errorf("npm: %s: %w", f.Name(), err)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	for name, p := range snapshot {
		m.packuments[name] = p
	}
	return nil
}

// ExportCSV writes "name,version,tarball" rows for the licence scanner.
func (m *Mirror) ExportCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write

	m.mu.RLock()
	names := make([]string, 0, len(m.packuments))
	for name := range m.packuments {
		names = append(names, name)
	}
	m.mu.RUnlock()
	sort.Strings(names)

	if err := cw.Write([]string{"name", "version", "tarball"}); err != nil {
		return err
	}
	for _, name := range names {
		m.mu.RLock()
		p := m.packuments[name]
		m.mu.RUnlock()
		if p == nil {
			continue
		}
		for _, v := range sortedVersions(p) {
			if err := cw.Write([]string{name, v, p.Versions[v].Dist.Tarball}); err != nil {
				return err
			}
		}
	}
	return nil
}
