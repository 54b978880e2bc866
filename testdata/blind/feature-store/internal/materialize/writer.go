package materialize

import (
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"errors"
	"fmt"
	"io"
	"os"
)

// WriteSnapshot writes groups to path as a gzip-compressed stream of row
// groups.
func WriteSnapshot(path string, groups []*RowGroup) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriterSize(f, 1<<16)
	zw := gzip.NewWriter(bw)
	for _, g := range groups {
		if err := WriteRowGroup(zw, g); err != nil {
			return err
		}
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return bw.Flush()
}

// EncodeSnapshot streams groups, gzip-compressed, to w (an HTTP response or
// a pipe to the uploader).
func EncodeSnapshot(w io.Writer, groups []*RowGroup) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, g := range groups {
		if err := WriteRowGroup(zw, g); err != nil {
			return err
		}
	}
	return nil
}

// ReadSnapshot reads a file written by WriteSnapshot.
func ReadSnapshot(path string) ([]*RowGroup, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(bufio.NewReader(f))
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var groups []*RowGroup
	for {
		rg, err := ReadRowGroup(zr)
		if errors.Is(err, io.EOF) {
			return groups, nil
		}
		if err != nil {
			return nil, err
		}
		groups = append(groups, rg)
	}
}

func fileSHA256(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return nil, err
	}
	return h.Sum(nil), nil
}

// writeChecksum writes the sidecar "<snapshot>.sha256" file.
func writeChecksum(path string, sum []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := fmt.Fprintf(f, "%x\n", sum); err != nil {
		return err
	}
	return f.Close()
}
