package firmware

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// hashReader returns the hex SHA-256 of everything read from r.
func hashReader(r io.Reader) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// VerifyChecksum checks the SHA-256 of the file at path against want (hex).
func VerifyChecksum(path, want string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	got, err := hashReader(f)
	if err != nil {
		return err
	}
	if !strings.EqualFold(got, want) {
		return fmt.Errorf("firmware: %s: checksum %s, want %s", filepath.Base(path), got, want)
	}
	return nil
}

// VerifyAll checks every image named in sums, which maps file name to hex digest.
func VerifyAll(dir string, sums map[string]string) error {
	for name, want := range sums {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		got, err := hashReader(f)
		if err != nil {
			return err
		}
		if !strings.EqualFold(got, want) {
			return fmt.Errorf("firmware: %s: checksum %s, want %s", name, got, want)
		}
	}
	return nil
}

// VerifyEach is VerifyAll with each file closed before the next is opened; it
// reports every mismatch instead of stopping at the first.
func VerifyEach(dir string, sums map[string]string) []error {
	var errs []error
	for name, want := range sums {
		if err := VerifyChecksum(filepath.Join(dir, name), want); err != nil {
			errs = append(errs, err)
		}
	}
	return errs
}

// ParseSums reads a "sha256sum"-style file: "<hex>  <name>" per line.
func ParseSums(data string) (map[string]string, error) {
	sums := make(map[string]string)
	for i, line := range strings.Split(data, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fields := strings.Fields(line)
		if len(fields) != 2 || len(fields[0]) != 64 {
			return nil, fmt.Errorf("firmware: sums line %d: malformed", i+1)
		}
		sums[strings.TrimPrefix(fields[1], "*")] = strings.ToLower(fields[0])
	}
	return sums, nil
}

// CompareVersions compares dotted numeric versions ("1.10.2" > "1.9"); an empty
// version sorts first.
func CompareVersions(a, b string) int {
	if a == b {
		return 0
	}
	if a == "" {
		return -1
	}
	if b == "" {
		return 1
	}
	as, bs := strings.Split(a, "."), strings.Split(b, ".")
	for i := 0; i < len(as) || i < len(bs); i++ {
		var x, y int
		if i < len(as) {
			x, _ = strconv.Atoi(as[i])
		}
		if i < len(bs) {
			y, _ = strconv.Atoi(bs[i])
		}
		if x != y {
			if x < y {
				return -1
			}
			return 1
		}
	}
	return 0
}
