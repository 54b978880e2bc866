// Package archive reads, checksums and packs artifact files.
package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"example.com/up8/internal/fsutil"
)

// Source opens named artifacts.
type Source interface {
	Open(name string) (io.ReadCloser, error)
}

// DirSource serves artifacts from a directory.
type DirSource string

// Open implements Source. Names cannot escape the directory.
func (d DirSource) Open(name string) (io.ReadCloser, error) {
	return fsutil.Open(filepath.Join(string(d), filepath.Clean("/"+name)))
}

// FileInfo describes one artifact file.
type FileInfo struct {
	Name   string `json:"name"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// Manifest lists the files of a release.
type Manifest struct {
	Release string     `json:"release"`
	Files   []FileInfo `json:"files"`
}

// sum hashes r and returns the hex digest and the byte count.
func sum(r io.Reader) (string, int64, error) {
	h := sha256.New()
	n, err := io.Copy(h, r)
	if err != nil {
		return "", n, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
}

// Checksum returns the SHA-256 of the named artifact.
func Checksum(src Source, name string) (string, error) {
	rc, err := src.Open(name)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return "", fmt.Errorf("checksum %s: %w", name, err)
	}
	digest, _, err := sum(rc)
	return digest, err
}

// describeOne returns the FileInfo of the named artifact.
func describeOne(src Source, name string) (FileInfo, error) {
	rc, err := src.Open(name)
	if err != nil {
		return FileInfo{}, err
	}
	defer rc.Close()
	digest, n, err := sum(rc)
	if err != nil {
		return FileInfo{}, fmt.Errorf("describe %s: %w", name, err)
	}
	return FileInfo{Name: name, Size: n, SHA256: digest}, nil
}

// Describe builds the manifest of the named artifacts.
func Describe(src Source, release string, names []string) (Manifest, error) {
	m := Manifest{Release: release}
	for _, name := range names {
		fi, err := describeOne(src, name)
		if err != nil {
			return m, err
		}
		m.Files = append(m.Files, fi)
	}
	return m, nil
}

// Concat copies the named artifacts into w, in order.
func Concat(w io.Writer, src Source, names []string) (int64, error) {
	var total int64
	for _, name := range names {
		rc, err := src.Open(name)
		if err != nil {
			return total, err
		}
		defer rc.Close() // HAZ defer-in-loop
		n, err := io.Copy(w, rc)
		total += n
		if err != nil {
			return total, fmt.Errorf("concat %s: %w", name, err)
		}
	}
	return total, nil
}

// Verify checks every file of m against src and returns the names that do
// not match.
func Verify(src Source, m Manifest) ([]string, error) {
	var bad []string
	for _, fi := range m.Files {
		err := func() error {
			rc, err := src.Open(fi.Name)
			if err != nil {
				return err
			}
			defer rc.Close()
			digest, n, err := sum(rc)
			if err != nil {
				return err
			}
			if digest != fi.SHA256 || n != fi.Size {
				bad = append(bad, fi.Name)
			}
			return nil
		}()
		if err != nil {
			return bad, fmt.Errorf("verify %s: %w", fi.Name, err)
		}
	}
	return bad, nil
}

// WriteManifest writes m as indented JSON to path.
func WriteManifest(path string, m Manifest) error {
	f, err := fsutil.Create(path)
	if err != nil {
		return fmt.Errorf("manifest: %w", err)
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// WriteIndex writes one artifact name per line to path.
func WriteIndex(path string, m Manifest) error {
	f, err := fsutil.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	for _, fi := range m.Files {
		if _, err := fmt.Fprintln(f, fi.Name); err != nil {
			return err
		}
	}
	return f.Close()
}

// LoadManifest reads the manifest at path.
func LoadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := fsutil.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	err = json.NewDecoder(f).Decode(&m)
	return m, err
}

// ReadManifest reads the manifest of the release in dir. Releases made before
// v2 left manifest.json empty and wrote MANIFEST instead.
func ReadManifest(dir string) (Manifest, error) {
	var m Manifest
	f, err := fsutil.Open(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return m, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	st, err := f.Stat()
	if err != nil {
		return m, err
	}
	if st.Size() == 0 {
		f, err = fsutil.Open(filepath.Join(dir, "MANIFEST"))
		if err != nil {
			return m, err
		}
	}
	err = json.NewDecoder(f).Decode(&m)
	return m, err
}

// ReadManifestCompat is ReadManifest with each file closed by its own defer.
func ReadManifestCompat(dir string) (Manifest, error) {
	m, err := LoadManifest(filepath.Join(dir, "manifest.json"))
	if err == nil {
		return m, nil
	}
	if _, statErr := os.Stat(filepath.Join(dir, "MANIFEST")); statErr != nil {
		return m, err
	}
	return LoadManifest(filepath.Join(dir, "MANIFEST"))
}
