// Package plugin loads in-process plugins described by JSON manifests,
// starts them in dependency order and tears them down on failure.
package plugin

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Manifest describes one plugin instance.
type Manifest struct {
	Name     string            `json:"name"`
	Factory  string            `json:"factory"`
	Requires []string          `json:"requires,omitempty"`
	Config   map[string]string `json:"config,omitempty"`
	Disabled bool              `json:"disabled,omitempty"`
}

// Validate checks required fields.
func (m Manifest) Validate() error {
	if m.Name == "" {
		return errors.New("plugin: manifest without name")
	}
	if m.Factory == "" {
		return fmt.Errorf("plugin %s: manifest without factory", m.Name)
	}
	for _, r := range m.Requires {
		if r == m.Name {
			return fmt.Errorf("plugin %s: requires itself", m.Name)
		}
	}
	return nil
}

// ReadManifest decodes one manifest file, opened read-only.
func ReadManifest(path string) (Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return Manifest{}, err
	}
	defer f.Close()
	return decodeManifest(f, path)
}

func decodeManifest(r io.Reader, name string) (Manifest, error) {
	var m Manifest
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&m); err != nil {
		return m, fmt.Errorf("plugin: %s: %w", name, err)
	}
	return m, m.Validate()
}

// LoadManifests reads every *.json manifest of dir, skipping disabled ones.
func LoadManifests(dir string) ([]Manifest, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	var out []Manifest
	for _, p := range paths {
		m, err := ReadManifest(p)
		if err != nil {
			return nil, err
		}
		if !m.Disabled {
			out = append(out, m)
		}
	}
	return out, nil
}

// OpenBundle reads the manifests stored in a zip bundle. Each member is
// opened and closed inside its own function literal.
func OpenBundle(path string) ([]Manifest, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var out []Manifest
	for _, zf := range zr.File {
		if !strings.HasSuffix(zf.Name, ".json") || zf.FileInfo().IsDir() {
			continue
		}
		m, err := func() (Manifest, error) {
			rc, err := zf.Open()
			if err != nil {
				return Manifest{}, err
			}
			defer rc.Close()
			return decodeManifest(io.LimitReader(rc, 1<<20), zf.Name)
		}()
		if err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, nil
}

// resolveOrder sorts manifests so that requirements start first.
func resolveOrder(ms []Manifest) ([]string, error) {
	byName := make(map[string]Manifest, len(ms))
	indeg := make(map[string]int, len(ms))
	users := map[string][]string{}
	for _, m := range ms {
		if _, dup := byName[m.Name]; dup {
			return nil, fmt.Errorf("plugin: duplicate plugin %q", m.Name)
		}
		byName[m.Name] = m
	}
	for _, m := range ms {
		for _, r := range m.Requires {
			if _, ok := byName[r]; !ok {
				return nil, fmt.Errorf("plugin %s: requires unknown plugin %q", m.Name, r)
			}
			indeg[m.Name]++
			users[r] = append(users[r], m.Name)
		}
	}
	var ready, order []string
	for _, m := range ms {
		if indeg[m.Name] == 0 {
			ready = append(ready, m.Name)
		}
	}
	for len(ready) > 0 {
		sort.Strings(ready)
		n := ready[0]
		ready = ready[1:]
		order = append(order, n)
		for _, u := range users[n] {
			if indeg[u]--; indeg[u] == 0 {
				ready = append(ready, u)
			}
		}
	}
	if len(order) != len(ms) {
		return nil, errors.New("plugin: dependency cycle")
	}
	return order, nil
}
