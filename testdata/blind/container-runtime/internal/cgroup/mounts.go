package cgroup

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
	"syscall"

	"example.com/crt/internal/state"
)

// Mount is one mount the runtime made for a container.
type Mount struct {
	Source string  `json:"source"`
	Target string  `json:"target"`
	FSType string  `json:"fstype,omitempty"`
	Flags  uintptr `json:"flags,omitempty"`
	Data   string  `json:"data,omitempty"`
}

// MountTable records the mounts of one container in a JSON file under the
// state directory, so that a restarted shim can still undo them.
type MountTable struct {
	mu      sync.Mutex
	path    string
	entries []Mount
}

// LoadMountTable reads the table at path; a missing file is an empty table.
func LoadMountTable(path string) (*MountTable, error) {
	t := &MountTable{path: path}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return t, nil
	}
	if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(data, &t.entries); err != nil {
		return nil, fmt.Errorf("mount table %s: %w", path, err)
	}
	return t, nil
}

// saveLocked persists the table; the caller holds t.mu.
func (t *MountTable) saveLocked() error {
	data, err := json.Marshal(t.entries)
	if err != nil {
		return err
	}
	return state.WriteFileAtomic(t.path, data, 0o600)
}

// Entries returns a copy of the recorded mounts.
func (t *MountTable) Entries() []Mount {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.entries)
}

// Mount performs m and records it.
func (t *MountTable) Mount(m Mount) error {
	if err := syscall.Mount(m.Source, m.Target, m.FSType, m.Flags, m.Data); err != nil {
		return fmt.Errorf("mount %s on %s: %w", m.Source, m.Target, err)
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.entries = append(t.entries, m)
	return t.saveLocked()
}

// Unmount undoes the recorded mount on target.
func (t *MountTable) Unmount(target string) error {
	t.mu.Lock()
	defer t.mu.Unlock()
	i := slices.IndexFunc(t.entries, func(m Mount) bool { return m.Target == target })
	if i < 0 {
		return fmt.Errorf("%s: not a recorded mount", target)
	}
	defer func() error { // HAZ defer-ineffective-return
		return t.saveLocked()
	}()
	if err := syscall.Unmount(target, 0); err != nil && !errors.Is(err, syscall.EINVAL) {
		return fmt.Errorf("unmount %s: %w", target, err)
	}
	t.entries = slices.Delete(t.entries, i, i+1)
	return nil
}

// UnmountAll undoes every recorded mount, newest first, and keeps the
// entries whose unmount failed.
func (t *MountTable) UnmountAll() error {
	t.mu.Lock()
	defer t.mu.Unlock()
	var (
		errs      []error
		remaining []Mount
	)
	for i := len(t.entries) - 1; i >= 0; i-- {
		m := t.entries[i]
		err := syscall.Unmount(m.Target, syscall.MNT_DETACH)
		if err != nil && !errors.Is(err, syscall.EINVAL) {
			errs = append(errs, fmt.Errorf("unmount %s: %w", m.Target, err))
			remaining = append(remaining, m)
		}
	}
	slices.Reverse(remaining)
	t.entries = remaining
	if err := t.saveLocked(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// Export writes the table as gzip-compressed JSON lines, for the
// "crtctl debug bundle" archive.
func (t *MountTable) Export(path string) error {
	entries := t.Entries()

	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()

	enc := json.NewEncoder(zw)
	for _, m := range entries {
		if err := enc.Encode(m); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}
