// Package manifest writes the release manifest in JSON and CSV form.
package manifest

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"sort"
	"strconv"
	"time"

	"example.com/releasecli/internal/state"
)

// SchemaVersion is bumped on incompatible manifest changes.
const SchemaVersion = 2

// Manifest describes one published release.
type Manifest struct {
	Schema    int        `json:"schema"`
	Project   string     `json:"project"`
	Version   string     `json:"version"`
	Commit    string     `json:"commit"`
	BuiltAt   time.Time  `json:"built_at"`
	Artifacts []Artifact `json:"artifacts"`
}

// Artifact is one entry of the manifest.
type Artifact struct {
	Name      string `json:"name"`
	OS        string `json:"os"`
	Arch      string `json:"arch"`
	Format    string `json:"format"`
	Path      string `json:"-"`
	SHA256    string `json:"sha256"`
	Size      int64  `json:"size"`
	Signature string `json:"signature,omitempty"`
	URL       string `json:"url,omitempty"`
}

var csvHeader = []string{"name", "os", "arch", "format", "size", "sha256", "url"}

// FromRegistry builds a manifest from the artifacts recorded in reg.
func FromRegistry(project, version, commit string, reg *state.Registry) *Manifest {
	m := &Manifest{
		Schema:  SchemaVersion,
		Project: project,
		Version: version,
		Commit:  commit,
		BuiltAt: time.Now().UTC(),
	}
	for _, a := range reg.Snapshot() {
		m.Artifacts = append(m.Artifacts, Artifact{
			Name: a.Name, OS: a.OS, Arch: a.Arch, Format: a.Format, Path: a.Path,
			SHA256: a.SHA256, Size: a.Size, Signature: a.Signature, URL: a.URL,
		})
	}
	m.Sort()
	return m
}

// Sort orders artifacts by platform and then by name.
func (m *Manifest) Sort() {
	sort.Slice(m.Artifacts, func(i, j int) bool {
		a, b := m.Artifacts[i], m.Artifacts[j]
		if a.OS+a.Arch != b.OS+b.Arch {
			return a.OS+a.Arch < b.OS+b.Arch
		}
		return a.Name < b.Name
	})
}

// Find returns the artifact called name.
func (m *Manifest) Find(name string) (*Artifact, bool) {
	for i := range m.Artifacts {
		if m.Artifacts[i].Name == name {
			return &m.Artifacts[i], true
		}
	}
	return nil, false
}

// WriteJSON writes the manifest as indented JSON.
func WriteJSON(path string, m *Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()

	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(m); err != nil {
		return err
	}
	return f.Close()
}

// ReadJSON loads a manifest written by WriteJSON.
func ReadJSON(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, fmt.Errorf("manifest: %s: %w", path, err)
	}
	if m.Schema != SchemaVersion {
		return nil, fmt.Errorf("manifest: %s: schema %d, want %d", path, m.Schema, SchemaVersion)
	}
	return &m, nil
}

// WriteCSV writes one row per artifact, for the release spreadsheet.
func WriteCSV(path string, m *Manifest) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	cw := csv.NewWriter(f)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write(csvHeader); err != nil {
		return err
	}
	for _, a := range m.Artifacts {
		if err := cw.Write(row(a)); err != nil {
			return err
		}
	}
	return nil
}

// WriteChecksumsCSV writes just name and digest, for the mirror importer.
func WriteChecksumsCSV(path string, m *Manifest) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	cw := csv.NewWriter(f)
	cw.Comma = ';'
	for _, a := range m.Artifacts {
		if err := cw.Write([]string{a.Name, a.SHA256}); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func row(a Artifact) []string {
	return []string{a.Name, a.OS, a.Arch, a.Format, strconv.FormatInt(a.Size, 10), a.SHA256, a.URL}
}

// WriteNotes writes a Markdown download table for the release page.
func WriteNotes(path string, m *Manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	fmt.Fprintf(f, "## %s %s\n\n", m.Project, m.Version)
	fmt.Fprintln(f, "| File | Platform | SHA-256 |")
	fmt.Fprintln(f, "|------|----------|---------|")
	for _, a := range m.Artifacts {
		fmt.Fprintf(f, "| [%s](%s) | %s/%s | `%s` |\n", a.Name, a.URL, a.OS, a.Arch, a.SHA256)
	}
	return nil
}
