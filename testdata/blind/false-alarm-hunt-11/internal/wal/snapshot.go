package wal

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"sort"
)

// WriteSnapshot writes kv as a gzip-compressed stream of records. Both
// the gzip stream and the file are closed on every path and any close
// error is returned.
func WriteSnapshot(path string, kv map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()

	return writeEntries(zw, kv)
}

// ReadSnapshot reads a snapshot written by WriteSnapshot.
func ReadSnapshot(path string) (map[string][]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return readEntries(zr)
}

// ImportSnapshot installs the snapshot at src as dir's base image,
// replacing any previous one.
func ImportSnapshot(dir, src string) error {
	dst := filepath.Join(dir, "base.snap")
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation

	kv, err := ReadSnapshot(src)
	if err != nil {
		return err
	}
	tmp := dst + ".import"
	cleanup = func() { _ = os.Remove(tmp) }
	if err := WriteSnapshot(tmp, kv); err != nil {
		return err
	}
	return os.Rename(tmp, dst)
}

func writeEntries(w io.Writer, kv map[string][]byte) error {
	keys := make([]string, 0, len(kv))
	for k := range kv {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for i, k := range keys {
		if _, err := encodeRecord(w, Record{Seq: uint64(i), Key: k, Value: kv[k]}); err != nil {
			return err
		}
	}
	return nil
}

func readEntries(r io.Reader) (map[string][]byte, error) {
	out := make(map[string][]byte)
	br := bufio.NewReader(r)
	for {
		rec, err := decodeRecord(br)
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		out[rec.Key] = rec.Value
	}
}
