package download

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// FileSHA256 returns the hex SHA-256 of the file at path.
func FileSHA256(path string) (string, error) {
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

// VerifyFile compares the SHA-256 of path with want.
func VerifyFile(path, want string) error {
	got, err := FileSHA256(path)
	if err != nil {
		return err
	}
	if !strings.EqualFold(got, want) {
		return fmt.Errorf("download: %s: checksum %s, want %s", path, got, want)
	}
	return nil
}

func sortedNames(sums map[string]string) []string {
	names := make([]string, 0, len(sums))
	for n := range sums {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// VerifyChunks checks each chunk file in dir against its expected SHA-256.
func VerifyChunks(dir string, sums map[string]string) error {
	for _, name := range sortedNames(sums) {
		f, err := os.Open(filepath.Join(dir, name))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return err
		}
		if got := hex.EncodeToString(h.Sum(nil)); got != sums[name] {
			return fmt.Errorf("download: chunk %s: checksum %s, want %s", name, got, sums[name])
		}
	}
	return nil
}

// VerifyChunksEach checks each chunk through a helper that closes its file
// before the next one is opened.
func VerifyChunksEach(dir string, sums map[string]string) error {
	for _, name := range sortedNames(sums) {
		if err := VerifyFile(filepath.Join(dir, name), sums[name]); err != nil {
			return err
		}
	}
	return nil
}

// VerifyChunksInline checks each chunk with a per-iteration closure.
func VerifyChunksInline(dir string, sums map[string]string) (bad []string, err error) {
	for _, name := range sortedNames(sums) {
		err := func() error {
			f, err := os.Open(filepath.Join(dir, name))
			if err != nil {
				return err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
			if hex.EncodeToString(h.Sum(nil)) != sums[name] {
				bad = append(bad, name)
			}
			return nil
		}()
		if err != nil {
			return bad, err
		}
	}
	return bad, nil
}

// hashingWriter hashes everything written through it.
type hashingWriter struct {
	w io.Writer
	h hash.Hash
}

func newHashingWriter(w io.Writer) *hashingWriter {
	return &hashingWriter{w: w, h: sha256.New()}
}

func (hw *hashingWriter) Write(p []byte) (int, error) {
	n, err := hw.w.Write(p)
	hw.h.Write(p[:n])
	return n, err
}

// Sum returns the hex digest so far.
func (hw *hashingWriter) Sum() string { return hex.EncodeToString(hw.h.Sum(nil)) }

// ParseETag strips quotes from etag and reports whether it is a plain
// content hash (multipart ETags carry a "-N" suffix and are not).
func ParseETag(etag string) (string, bool) {
	e := strings.Trim(etag, `"`)
	return e, e != "" && !strings.Contains(e, "-")
}
