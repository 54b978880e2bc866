package export

import (
	"archive/zip"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"os"
	"path/filepath"
)

// Bundle packs files into a zip archive at out.
func Bundle(out string, files []string) error {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	for _, p := range files {
		if err := addToZip(zw, p); err != nil {
			return err
		}
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

func addToZip(zw *zip.Writer, path string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	w, err := zw.Create(filepath.Base(path))
	if err != nil {
		return err
	}
	_, err = io.Copy(w, src)
	return err
}

// Checksums returns the SHA-256 of every file.
func Checksums(paths []string) (map[string]string, error) {
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
		sums[p] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// VerifyChecksums compares files against sums; each file is hashed by
// fileSum, which closes it before the next one is opened.
func VerifyChecksums(sums map[string]string) (bad []string, err error) {
	for p, want := range sums {
		got, err := fileSum(p)
		if err != nil {
			return nil, err
		}
		if got != want {
			bad = append(bad, p)
		}
	}
	return bad, nil
}

func fileSum(path string) (string, error) {
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
