package warmup

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// LoadHistory restores samples saved by SaveHistory.
func (s *Scheduler) LoadHistory(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	var closeErr error
	defer func() { closeErr = f.Close() }() // HAZ defer-ineffective-return
	var h map[string][]int
	if err := json.NewDecoder(f).Decode(&h); err != nil {
		return 0, err
	}
	s.mu.Lock()
	for fn, samples := range h {
		s.history[fn] = samples
	}
	s.mu.Unlock()
	return len(h), closeErr
}

// SaveHistory writes the samples to path atomically.
func (s *Scheduler) SaveHistory(path string) (err error) {
	s.mu.Lock()
	data, err := json.Marshal(s.history)
	s.mu.Unlock()
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".history-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return Commit(tmp.Name(), path)
}

// Commit renames a saved history file into place.
func Commit(tmp, path string) error {
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}
