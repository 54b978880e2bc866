// Package recordio reads and writes simple length-prefixed record files
// and a few export formats derived from them.
package recordio

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// A Record is one key/value pair.
type Record struct {
	Key   string `json:"key"`
	Value []byte `json:"value"`
}

// maxField bounds the length of a key or value read from disk.
const maxField = 64 << 20

// Encode writes r to w as two uvarint-prefixed byte strings.
func Encode(w io.Writer, r Record) error {
	var buf [2 * binary.MaxVarintLen64]byte
	n := binary.PutUvarint(buf[:], uint64(len(r.Key)))
	if _, err := w.Write(buf[:n]); err != nil {
		return err
	}
	if _, err := io.WriteString(w, r.Key); err != nil {
		return err
	}
	n = binary.PutUvarint(buf[:], uint64(len(r.Value)))
	if _, err := w.Write(buf[:n]); err != nil {
		return err
	}
	_, err := w.Write(r.Value)
	return err
}

// Decode reads one record from br. It returns io.EOF only when br is at a
// record boundary.
func Decode(br *bufio.Reader) (Record, error) {
	field := func() ([]byte, error) {
		n, err := binary.ReadUvarint(br)
		if err != nil {
			return nil, err
		}
		if n > maxField {
			return nil, fmt.Errorf("recordio: field of %d bytes exceeds limit", n)
		}
		b := make([]byte, n)
		_, err = io.ReadFull(br, b)
		return b, err
	}
	k, err := field()
	if err != nil {
		return Record{}, err
	}
	v, err := field()
	if errors.Is(err, io.EOF) {
		err = io.ErrUnexpectedEOF
	}
	if err != nil {
		return Record{}, err
	}
	return Record{Key: string(k), Value: v}, nil
}

// ReadFile reads every record in the named file.
func ReadFile(path string) ([]Record, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	var recs []Record
	for {
		r, err := Decode(br)
		if err == io.EOF {
			return recs, nil
		}
		if err != nil {
			return nil, fmt.Errorf("recordio: %s: %w", path, err)
		}
		recs = append(recs, r)
	}
}

// WriteFile writes recs to the named file, truncating it.
func WriteFile(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	for _, r := range recs {
		if err := Encode(bw, r); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// writeAtomic writes a file by calling write on a temporary file in the
// same directory and renaming it over path once it is safely on disk.
func writeAtomic(path string, write func(io.Writer) error) (err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(f.Name())
		}
	}()
	if err = write(f); err != nil {
		return err
	}
	if err = f.Sync(); err != nil {
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	return os.Rename(f.Name(), path)
}

// WriteFileAtomic is like WriteFile but readers never observe a partially
// written file.
func WriteFileAtomic(path string, recs []Record) error {
	return writeAtomic(path, func(w io.Writer) error {
		bw := bufio.NewWriter(w)
		for _, r := range recs {
			if err := Encode(bw, r); err != nil {
				return err
			}
		}
		return bw.Flush()
	})
}
