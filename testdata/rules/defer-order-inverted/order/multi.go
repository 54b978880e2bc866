package order

import (
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"io"
	"os"
)

// The gzip writer writes into both the file and the hash: its Close, deferred first, runs after
// the file's and flushes into a closed file.
func archiveDigest(path string, data []byte) (sum []byte, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	h := sha256.New()
	zw := gzip.NewWriter(io.MultiWriter(f, h))
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // want `the deferred f\.Close\(\) runs before the deferred zw\.Close\(\) registered on line \d+`
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// The right order: the gzip writer closes first.
func archiveDigestOrdered(path string, data []byte) (sum []byte, err error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	h := sha256.New()
	zw := gzip.NewWriter(io.MultiWriter(f, h))
	defer func() { err = errors.Join(err, zw.Close()) }()
	if _, err := zw.Write(data); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}
