package release

import (
	"encoding/json"
	"errors"
	"os"
	"time"
)

// Manifest describes a published release.
type Manifest struct {
	Name      string            `json:"name"`
	Version   string            `json:"version"`
	Built     time.Time         `json:"built"`
	Artifacts map[string]string `json:"artifacts"`
	Notes     string            `json:"notes,omitempty"`
}

// NewManifest returns a manifest stamped now.
func NewManifest(name, version string) *Manifest {
	return &Manifest{Name: name, Version: version, Built: time.Now().UTC(), Artifacts: map[string]string{}}
}

// AddArtifact records an artifact checksum.
func (m *Manifest) AddArtifact(name, sum string) { m.Artifacts[name] = sum }

// Validate checks the manifest before publishing.
func (m *Manifest) Validate() error {
	if m.Name == "" || m.Version == "" {
		return errors.New("release: manifest needs name and version")
	}
	if len(m.Artifacts) == 0 {
		return errors.New("release: manifest lists no artifacts")
	}
	return nil
}

// WriteManifest writes m as indented JSON, replacing the file.
func WriteManifest(path string, m *Manifest) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// SaveManifest marshals first and lets os.WriteFile report close errors.
func SaveManifest(path string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, append(data, '\n'), 0o644)
}

// ReadManifest loads a manifest; the file is opened read-only.
func ReadManifest(path string) (*Manifest, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var m Manifest
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return nil, err
	}
	return &m, nil
}

// AppendHistory appends one JSON line to the release history file and
// checks the close error on the success path.
func AppendHistory(path string, m *Manifest) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(m); err != nil {
		return err
	}
	return f.Close()
}
