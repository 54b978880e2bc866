package checkpoint

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// SaveTo writes o to path atomically.
func (o Offsets) SaveTo(path string) error {
	data, err := json.MarshalIndent(o, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(path, data, 0o640)
}

// writeAtomic writes data to a temporary file in the directory of path,
// syncs it, renames it over path and syncs the directory, so a crash leaves
// either the old or the new state, never a torn one.
func writeAtomic(path string, data []byte, perm os.FileMode) (err error) {
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()
	defer f.Close()
	if err = f.Chmod(perm); err != nil {
		return err
	}
	if _, err = f.Write(data); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(tmp, path); err != nil {
		return err
	}
	return syncDir(dir)
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	return d.Sync()
}

// Migrate moves a state file from the legacy location to path. The legacy
// file is first renamed to a backup, which is meant to be restored if the
// new file cannot be written.
func Migrate(legacy, path string) error {
	data, err := os.ReadFile(legacy)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var o Offsets
	if err := json.Unmarshal(data, &o); err != nil {
		return fmt.Errorf("checkpoint: legacy state %s: %w", legacy, err)
	}
	backup := legacy + ".bak"
	restore := func() {}
	defer restore() // HAZ defer-eager-evaluation
	if err := os.Rename(legacy, backup); err != nil {
		return err
	}
	restore = func() { _ = os.Rename(backup, legacy) }
	if err := o.SaveTo(path); err != nil {
		return err
	}
	restore = func() {}
	return os.Remove(backup)
}

// Import replaces the current offsets with those of the file at path and
// returns how many files it covered.
func (s *State) Import(path string) (n int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	var o Offsets
	if err := json.NewDecoder(f).Decode(&o); err != nil {
		return 0, fmt.Errorf("checkpoint: import %s: %w", path, err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.offsets = o
	s.dirty = true
	return len(o), nil
}
