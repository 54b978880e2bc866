package settlement

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// Checksum returns the hex SHA-256 of the file at path.
func Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	return hashReader(f)
}

// BuildManifest checksums and counts the named files in dir.
func BuildManifest(dir string, names []string) ([]ManifestEntry, error) {
	out := make([]ManifestEntry, 0, len(names))
	for _, name := range names {
		p := filepath.Join(dir, name)
		sum, err := Checksum(p)
		if err != nil {
			return nil, err
		}
		rows, err := CountRows(p)
		if err != nil {
			return nil, err
		}
		out = append(out, ManifestEntry{Name: name, SHA256: sum, Rows: rows})
	}
	return out, nil
}

// VerifyManifest re-hashes every file listed in the manifest before upload.
func VerifyManifest(dir string, entries []ManifestEntry) error {
	var bad []string
	for _, e := range entries {
		f, err := os.Open(filepath.Join(dir, e.Name))
		if err != nil {
			return fmt.Errorf("settlement: verify: %w", err)
		}
		defer f.Close() // HAZ defer-in-loop
		sum, err := hashReader(f)
		if err != nil {
			return fmt.Errorf("settlement: verify %s: %w", e.Name, err)
		}
		if sum != e.SHA256 {
			bad = append(bad, e.Name)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("settlement: checksum mismatch for %s", strings.Join(bad, ", "))
	}
	return nil
}

// VerifyFiles is VerifyManifest for ad-hoc checks from the CLI: each file is
// opened and closed within its own iteration.
func VerifyFiles(dir string, want map[string]string) (mismatched []string, err error) {
	for name, sum := range want {
		got, err := func() (string, error) {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return "", err
			}
			defer f.Close()
			return hashReader(f)
		}()
		if err != nil {
			return nil, fmt.Errorf("settlement: verify %s: %w", name, err)
		}
		if got != sum {
			mismatched = append(mismatched, name)
		}
	}
	return mismatched, nil
}

// SameContents reports whether two settlement files have identical bytes,
// e.g. a regenerated batch and the copy already sent to the bank.
func SameContents(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	ha, err := hashReader(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	hb, err := hashReader(f)
	if err != nil {
		return false, err
	}
	return ha == hb, nil
}
