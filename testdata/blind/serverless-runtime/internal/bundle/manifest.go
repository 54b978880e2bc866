package bundle

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// ManifestName is the file every bundle carries at its root.
const ManifestName = "faas.json"

// Manifest describes how to run a bundle.
type Manifest struct {
	Function string            `json:"function"`
	Runtime  string            `json:"runtime"`
	Command  []string          `json:"command"`
	MemoryMB int               `json:"memory_mb"`
	TimeoutS int               `json:"timeout_s"`
	Env      map[string]string `json:"env,omitempty"`
}

// Validate checks the fields the runtime relies on.
func (m Manifest) Validate() error {
	var errs []error
	if m.Function == "" {
		errs = append(errs, errors.New("missing function"))
	}
	if len(m.Command) == 0 {
		errs = append(errs, errors.New("missing command"))
	}
	if m.TimeoutS < 0 || m.TimeoutS > 900 {
		errs = append(errs, fmt.Errorf("timeout %ds out of range", m.TimeoutS))
	}
	if err := errors.Join(errs...); err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	return nil
}

// Inspect reads the manifest of the archive at path.
func Inspect(path string) (Manifest, error) {
	zr, err := zip.OpenReader(path)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return Manifest{}, fmt.Errorf("inspect %s: %w", path, err)
	}
	return manifestFrom(&zr.Reader)
}

// manifestFrom finds and decodes the manifest inside an open archive.
func manifestFrom(zr *zip.Reader) (Manifest, error) {
	for _, zf := range zr.File {
		if zf.Name == ManifestName {
			m, err := readManifest(zf)
			if err != nil {
				return Manifest{}, err
			}
			return m, m.Validate()
		}
	}
	return Manifest{}, fmt.Errorf("bundle: no %s in archive", ManifestName)
}

// readManifest decodes one archive entry as a manifest.
func readManifest(zf *zip.File) (Manifest, error) {
	var m Manifest
	rc, err := zf.Open()
	if err != nil {
		return m, err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := rc.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("bundle: close %s: %w", zf.Name, cerr)
		}
	}()
	err = json.NewDecoder(rc).Decode(&m)
	return m, err
}

// WriteManifest writes m into dir atomically.
func WriteManifest(dir string, m Manifest) (err error) {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, ".manifest-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	if _, err = tmp.Write(append(data, '\n')); err != nil {
		_ = tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, ManifestName))
}

// LoadManifest reads the manifest of an unpacked bundle.
func LoadManifest(dir string) (Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestName))
	if err != nil {
		return Manifest{}, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return Manifest{}, fmt.Errorf("%s: %w", dir, err)
	}
	return m, m.Validate()
}
