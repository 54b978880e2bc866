package storage

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

const currentName = "CURRENT"

// Manifest lists the live tables of an engine.
type Manifest struct {
	Version int         `json:"version"`
	NextSeq int         `json:"next_seq"`
	Tables  []TableInfo `json:"tables"`
}

// TableInfo describes one table file, by name relative to the data dir.
type TableInfo struct {
	Name  string `json:"name"`
	Level int    `json:"level"`
	Size  int64  `json:"size"`
}

func (m *Manifest) clone() *Manifest {
	c := *m
	c.Tables = append([]TableInfo(nil), m.Tables...)
	return &c
}

// LoadManifest reads the manifest that dir/CURRENT points at. A directory
// without CURRENT holds an empty store.
func LoadManifest(dir string) (*Manifest, error) {
	cur, err := os.ReadFile(filepath.Join(dir, currentName))
	if errors.Is(err, fs.ErrNotExist) {
		return &Manifest{NextSeq: 1}, nil
	}
	if err != nil {
		return nil, err
	}
	f, err := os.Open(filepath.Join(dir, strings.TrimSpace(string(cur))))
	if err != nil {
		return nil, fmt.Errorf("manifest: %w", err)
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", f.Name(), err)
	}
	return &m, nil
}

// LoadManifestWithFallback is LoadManifest for recovery tools: it ignores
// CURRENT, reads the newest manifest file and, if that one is corrupt,
// falls back to the one before it.
func LoadManifestWithFallback(dir string) (*Manifest, error) {
	names, err := filepath.Glob(filepath.Join(dir, "MANIFEST-*"))
	if err != nil {
		return nil, err
	}
	if len(names) == 0 {
		return &Manifest{NextSeq: 1}, nil
	}
	slices.Sort(names)

	f, err := os.Open(names[len(names)-1])
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err == nil {
		return &m, nil
	}
	if len(names) < 2 {
		return nil, fmt.Errorf("manifest %s is corrupt and there is no older one", f.Name())
	}

	f, err = os.Open(names[len(names)-2])
	if err != nil {
		return nil, err
	}
	m = Manifest{}
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest %s: %w", f.Name(), err)
	}
	return &m, nil
}

// SaveManifest writes m as a new numbered manifest file and points CURRENT
// at it.
func SaveManifest(dir string, m *Manifest) error {
	m.Version++
	name := fmt.Sprintf("MANIFEST-%06d", m.Version)
	f, err := os.Create(filepath.Join(dir, name))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return setCurrent(dir, name)
}

// setCurrent atomically replaces dir/CURRENT with one naming manifest.
func setCurrent(dir, manifest string) error {
	tmp := filepath.Join(dir, currentName+".tmp")
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := io.WriteString(f, manifest+"\n"); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, currentName))
}
