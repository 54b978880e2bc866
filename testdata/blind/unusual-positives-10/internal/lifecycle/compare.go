package lifecycle

import (
	"bytes"
	"crypto/sha256"
	"io"
	"os"
)

func digest(r io.Reader) ([]byte, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// SameFiles reports whether two files have identical contents.
func SameFiles(a, b string) (bool, error) {
	f, err := os.Open(a)
	if err != nil {
		return false, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	da, err := digest(f)
	if err != nil {
		return false, err
	}
	f, err = os.Open(b)
	if err != nil {
		return false, err
	}
	db, err := digest(f)
	if err != nil {
		return false, err
	}
	return bytes.Equal(da, db), nil
}

// fileDigest hashes one file and closes it.
func fileDigest(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return digest(f)
}

// SameContents is SameFiles with one helper call, and so one deferred
// close, per file.
func SameContents(a, b string) (bool, error) {
	da, err := fileDigest(a)
	if err != nil {
		return false, err
	}
	db, err := fileDigest(b)
	if err != nil {
		return false, err
	}
	return bytes.Equal(da, db), nil
}
