// Package checksum computes, writes and verifies SHA-256 checksum files.
package checksum

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Sum is the digest of one file, as written to SHA256SUMS.
type Sum struct {
	Name   string
	SHA256 string
	Size   int64
}

// File hashes the file at path. The Name of the result is its base name.
func File(path string) (Sum, error) {
	f, err := os.Open(path)
	if err != nil {
		return Sum{}, err
	}
	defer f.Close()

	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return Sum{}, fmt.Errorf("checksum: %s: %w", path, err)
	}
	return Sum{Name: filepath.Base(path), SHA256: hex.EncodeToString(h.Sum(nil)), Size: n}, nil
}

// WriteSumsFile writes sums in the coreutils "sha256sum" format, sorted by name.
func WriteSumsFile(path string, sums []Sum) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	sorted := append([]Sum(nil), sums...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Name < sorted[j].Name })
	w := bufio.NewWriter(f)
	for _, s := range sorted {
		if _, err := fmt.Fprintf(w, "%s  %s\n", s.SHA256, s.Name); err != nil {
			return err
		}
	}
	return w.Flush()
}

// ParseSumsFile reads a SHA256SUMS file.
func ParseSumsFile(path string) ([]Sum, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	var sums []Sum
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) != 2 || len(fields[0]) != sha256.Size*2 {
			return nil, fmt.Errorf("checksum: %s:%d: malformed line", path, line)
		}
		sums = append(sums, Sum{SHA256: fields[0], Name: strings.TrimPrefix(fields[1], "*")})
	}
	return sums, sc.Err()
}

// Verify checks every file listed in sumsPath against the files in dir.
func Verify(dir, sumsPath string) error {
	want, err := ParseSumsFile(sumsPath)
	if err != nil {
		return err
	}
	var bad []string
	for _, w := range want {
		got, err := File(filepath.Join(dir, w.Name))
		if err != nil {
			return err
		}
		if got.SHA256 != w.SHA256 {
			bad = append(bad, w.Name)
		}
	}
	if len(bad) > 0 {
		return fmt.Errorf("checksum: mismatch for %s", strings.Join(bad, ", "))
	}
	return nil
}

// AppendSum adds a single line to an existing sums file (used when a late
// artifact such as an SBOM is added after the main checksum pass).
func AppendSum(path string, s Sum) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%s  %s\n", s.SHA256, s.Name); err != nil {
		return err
	}
	return f.Sync()
}
