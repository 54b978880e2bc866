package release

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Checksum returns the hex SHA-256 of a file.
func Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ChecksumFiles hashes every path.
func ChecksumFiles(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[filepath.Base(p)] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// ChecksumDir hashes every regular file below dir; the per-file defer is in
// the walk callback, a function of its own.
func ChecksumDir(dir string) (map[string]string, error) {
	sums := map[string]string{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(path)
		if err != nil {
			return err
		}
		defer f.Close()
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, path)
		sums[filepath.ToSlash(rel)] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	return sums, err
}

// ChecksumAll hashes paths one by one through Checksum.
func ChecksumAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		sum, err := Checksum(p)
		if err != nil {
			return nil, err
		}
		sums[filepath.Base(p)] = sum
	}
	return sums, nil
}

// WriteChecksums writes a SHA256SUMS file in sorted order.
func WriteChecksums(path string, sums map[string]string) (err error) {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, n := range names {
		fmt.Fprintf(bw, "%s  %s\n", sums[n], n)
	}
	return bw.Flush()
}

// ReadChecksums parses a SHA256SUMS file.
func ReadChecksums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			return nil, fmt.Errorf("release: %s: malformed line %q", path, sc.Text())
		}
		sums[name] = sum
	}
	return sums, sc.Err()
}

// VerifyChecksums checks every file listed in SHA256SUMS next to it.
func VerifyChecksums(sumsPath string) ([]string, error) {
	want, err := ReadChecksums(sumsPath)
	if err != nil {
		return nil, err
	}
	dir := filepath.Dir(sumsPath)
	var bad []string
	for name, sum := range want {
		got, err := Checksum(filepath.Join(dir, name))
		if err != nil || got != sum {
			bad = append(bad, name)
		}
	}
	sort.Strings(bad)
	return bad, nil
}
