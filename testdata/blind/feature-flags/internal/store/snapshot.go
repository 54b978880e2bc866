package store

import (
	"compress/gzip"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"example.com/flagsvc/internal/flags"
)

// snapshot is the on-disk format.
type snapshot struct {
	Version int           `json:"version"`
	SavedAt time.Time     `json:"savedAt"`
	Flags   []*flags.Flag `json:"flags"`
}

// readSnapshot decodes the snapshot file at path.
func readSnapshot(path string) (*snapshot, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var snap snapshot
	dec := json.NewDecoder(f)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&snap); err != nil {
		return nil, fmt.Errorf("decode %s: %w", path, err)
	}
	return &snap, nil
}

// writeSnapshot replaces path atomically: the data goes to a temporary file in
// the same directory, which is synced, closed and renamed over path.
func writeSnapshot(path string, data []byte) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".flags-*.json.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(data); err != nil {
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

// saveLocked persists the current state; s.mu must be held (read or write).
func (s *Store) saveLocked() error {
	snap := snapshot{Version: s.version, SavedAt: time.Now().UTC(), Flags: s.sortedLocked()}
	data, err := json.MarshalIndent(&snap, "", "  ")
	if err != nil {
		return err
	}
	return writeSnapshot(s.path, data)
}

// ExportTo writes all flags as indented JSON to a new file at path.
func (s *Store) ExportTo(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(s.List())
}

// ExportGzip writes all flags as gzip-compressed JSON to path.
func (s *Store) ExportGzip(path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return json.NewEncoder(zw).Encode(s.List())
}

// ExportCSV writes one row per flag (key, enabled, variations, version).
func (s *Store) ExportCSV(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	cw := csv.NewWriter(f)
	if err := cw.Write([]string{"key", "enabled", "variations", "version"}); err != nil {
		return err
	}
	for _, fl := range s.List() {
		row := []string{fl.Key, strconv.FormatBool(fl.Enabled), strings.Join(fl.Variations, "|"), strconv.Itoa(fl.Version)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	return f.Close()
}

// Backup copies the current snapshot file into dir and returns the new path.
func (s *Store) Backup(dir string) (string, error) {
	src, err := os.Open(s.path)
	defer src.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", fmt.Errorf("store: backup: %w", err)
	}
	name := filepath.Join(dir, "flags-"+time.Now().UTC().Format("20060102T150405Z")+".json")
	dst, err := os.Create(name)
	if err != nil {
		return "", err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return "", err
	}
	if err := dst.Close(); err != nil {
		return "", err
	}
	return name, nil
}

// BackupInfo describes one backup file written by Backup.
type BackupInfo struct {
	Path    string
	Version int
	SavedAt time.Time
	Flags   int
}

// ListBackups reads the header of every backup in dir, newest first.
func ListBackups(dir string) ([]BackupInfo, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []BackupInfo
	for _, e := range entries {
		if e.IsDir() || !strings.HasPrefix(e.Name(), "flags-") {
			continue
		}
		path := filepath.Join(dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		var snap snapshot
		if err := json.NewDecoder(f).Decode(&snap); err != nil {
			return nil, fmt.Errorf("%s: %w", path, err)
		}
		out = append(out, BackupInfo{Path: path, Version: snap.Version, SavedAt: snap.SavedAt, Flags: len(snap.Flags)})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].SavedAt.After(out[j].SavedAt) })
	return out, nil
}

// WatchExternal reloads the snapshot when another process (flagctl working
// on the local file) has written a newer version. It returns when ctx is done.
func (s *Store) WatchExternal(ctx context.Context, interval time.Duration) error {
	t := time.NewTicker(interval)
	defer t.Stop()
	var lastMod time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		f, err := os.Open(s.path)
		if err != nil {
			s.logf("store: watch %s: %v", s.path, err)
			continue
		}
		defer f.Close() // HAZ defer-in-loop
		st, err := f.Stat()
		if err != nil || !st.ModTime().After(lastMod) {
			continue
		}
		lastMod = st.ModTime()
		var snap snapshot
		if err := json.NewDecoder(f).Decode(&snap); err != nil {
			s.logf("store: watch %s: %v", s.path, err)
			continue
		}
		next := make(map[string]*flags.Flag, len(snap.Flags))
		for _, fl := range snap.Flags {
			next[fl.Key] = fl
		}
		s.mu.Lock()
		if snap.Version > s.version {
			s.flags, s.version = next, snap.Version
		}
		s.mu.Unlock()
	}
}

// MergeFrom loads flags from other snapshot files (e.g. when consolidating
// environments); flags already present are kept.
func (s *Store) MergeFrom(paths []string) (int, error) {
	var incoming []*flags.Flag
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			var snap snapshot
			if err := json.NewDecoder(f).Decode(&snap); err != nil {
				return fmt.Errorf("%s: %w", p, err)
			}
			incoming = append(incoming, snap.Flags...)
			return nil
		}()
		if err != nil {
			return 0, err
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	added := 0
	for _, f := range incoming {
		if _, ok := s.flags[f.Key]; ok || f.Validate() != nil {
			continue
		}
		s.flags[f.Key] = f
		added++
	}
	if added == 0 {
		return 0, nil
	}
	s.version++
	return added, s.saveLocked()
}
