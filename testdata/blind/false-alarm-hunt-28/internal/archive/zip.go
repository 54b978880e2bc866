package archive

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"sort"
)

// WriteZip writes entries (name to content) into a zip file in name order.
func WriteZip(dst string, entries map[string][]byte) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close() // error paths only; the success path closes and checks below
	zw := zip.NewWriter(f)
	for _, name := range sortedKeys(entries) {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(entries[name]); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// ZipChecksums returns the SHA-256 of every file entry in a zip archive.
func ZipChecksums(path string) (map[string]string, error) {
	r, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	sums := make(map[string]string, len(r.File))
	for _, zf := range r.File {
		if zf.FileInfo().IsDir() {
			continue
		}
		sum, err := func() (string, error) {
			rc, err := zf.Open()
			if err != nil {
				return "", err
			}
			defer rc.Close()
			h := sha256.New()
			if _, err := io.Copy(h, rc); err != nil {
				return "", err
			}
			return hex.EncodeToString(h.Sum(nil)), nil
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", zf.Name, err)
		}
		sums[zf.Name] = sum
	}
	return sums, nil
}

// sortedKeys returns the keys of m in lexical order.
func sortedKeys(m map[string][]byte) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
