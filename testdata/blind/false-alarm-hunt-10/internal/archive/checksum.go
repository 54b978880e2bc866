package archive

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// Manifest lists the members of a bundle and their digests.
type Manifest struct {
	Version int               `json:"version"`
	Files   map[string]string `json:"files"`
}

// VerifyAll returns the SHA-256 of every path.
func VerifyAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, fmt.Errorf("hash %s: %w", p, err)
		}
		sums[p] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// HashAll is VerifyAll for large path lists: each file is closed before the
// next one is opened.
func HashAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			sums[p] = hex.EncodeToString(h.Sum(nil))
			return nil
		}()
		if err != nil {
			return nil, fmt.Errorf("hash %s: %w", p, err)
		}
	}
	return sums, nil
}

// hashFile returns the hex SHA-256 of the file at path.
func hashFile(path string) (string, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
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

// WriteChecksums writes sums in the sha256sum format, sorted by path.
func WriteChecksums(path string, sums map[string]string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	keys := make([]string, 0, len(sums))
	for k := range sums {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if _, err := fmt.Fprintf(f, "%s  %s\n", sums[k], k); err != nil {
			return err
		}
	}
	return nil
}

// AppendChecksums appends sums to an existing checksum file.
func AppendChecksums(path string, sums map[string]string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for p, sum := range sums {
		if _, err := fmt.Fprintf(bw, "%s  %s\n", sum, p); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// ReadChecksums parses a sha256sum-format file into path -> digest.
func ReadChecksums(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sums := make(map[string]string)
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		sum, name, ok := strings.Cut(sc.Text(), "  ")
		if !ok {
			return nil, fmt.Errorf("%s:%d: malformed line", path, line)
		}
		sums[name] = sum
	}
	return sums, sc.Err()
}

// OpenFirstManifest decodes the first readable manifest among candidates and
// returns it with the path it came from.
func OpenFirstManifest(candidates []string) (Manifest, string, error) {
	var lastErr error
	for _, p := range candidates {
		f, err := os.Open(p)
		if err != nil {
			lastErr = err
			continue
		}
		defer f.Close()
		var m Manifest
		if err := json.NewDecoder(f).Decode(&m); err != nil {
			return Manifest{}, p, fmt.Errorf("manifest %s: %w", p, err)
		}
		return m, p, nil
	}
	return Manifest{}, "", fmt.Errorf("no readable manifest: %w", lastErr)
}

// WriteManifest writes m as indented JSON.
func WriteManifest(path string, m Manifest) error {
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

// MergeLogs copies the rotated log and then the current log into dst.
func MergeLogs(dst io.Writer, rotated, current string) error {
	f, err := os.Open(rotated)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if _, err := io.Copy(dst, f); err != nil {
		return err
	}

	f, err = os.Open(current)
	if err != nil {
		return err
	}
	_, err = io.Copy(dst, f)
	return err
}

// ConcatFiles copies every path, in order, into dst.
func ConcatFiles(dst io.Writer, paths ...string) (int64, error) {
	var total int64
	for _, p := range paths {
		n, err := appendFile(dst, p)
		total += n
		if err != nil {
			return total, err
		}
	}
	return total, nil
}

// appendFile copies the file at path into dst.
func appendFile(dst io.Writer, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(dst, f)
}
