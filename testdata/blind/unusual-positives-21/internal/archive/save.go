// Package archive exports and imports snapshots of the cache index.
package archive

import (
	"bytes"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"strconv"
	"time"
)

// Record is one line of an export.
type Record struct {
	Digest string
	Size   int64
	Hits   int
}

// Snapshot is a point-in-time export of the cache index.
type Snapshot struct {
	Taken   time.Time
	Records []Record
}

var header = []string{"digest", "size", "hits"}

func (s *Snapshot) encode(w io.Writer) error {
	cw := csv.NewWriter(w)
	if err := cw.Write(header); err != nil {
		return err
	}
	for _, r := range s.Records {
		row := []string{r.Digest, strconv.FormatInt(r.Size, 10), strconv.Itoa(r.Hits)}
		if err := cw.Write(row); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

func decode(r io.Reader) (*Snapshot, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, errors.New("archive: empty snapshot")
	}
	snap := &Snapshot{Taken: time.Now()}
	for i, row := range rows[1:] {
		if len(row) != len(header) {
			return nil, fmt.Errorf("archive: row %d has %d fields", i+2, len(row))
		}
		size, err := strconv.ParseInt(row[1], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("archive: row %d: %w", i+2, err)
		}
		hits, err := strconv.Atoi(row[2])
		if err != nil {
			return nil, fmt.Errorf("archive: row %d: %w", i+2, err)
		}
		snap.Records = append(snap.Records, Record{Digest: row[0], Size: size, Hits: hits})
	}
	return snap, nil
}

// Save writes snap to dest: a file path, or any io.Writer the caller owns.
func Save(dest any, snap *Snapshot) error {
	switch d := dest.(type) {
	case string:
		f, err := os.Create(d)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-close-unchecked-write
		return snap.encode(f)
	case io.Writer:
		return snap.encode(d)
	default:
		return fmt.Errorf("archive: unsupported destination %T", dest)
	}
}

// SaveChecked is Save with the close error of a created file joined into the
// result.
func SaveChecked(dest any, snap *Snapshot) (err error) {
	switch d := dest.(type) {
	case string:
		f, cerr := os.Create(d)
		if cerr != nil {
			return cerr
		}
		defer func() { err = errors.Join(err, f.Close()) }()
		return snap.encode(f)
	case io.Writer:
		return snap.encode(d)
	default:
		return fmt.Errorf("archive: unsupported destination %T", dest)
	}
}

// Load reads a snapshot from src: a file path or any io.Reader.
func Load(src any) (*Snapshot, error) {
	switch s := src.(type) {
	case string:
		f, err := os.Open(s)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return decode(f)
	case io.Reader:
		return decode(s)
	}
	return nil, fmt.Errorf("archive: unsupported source %T", src)
}

// ExportTo writes snap to w, gzip-compressing it when w is a file on disk.
func ExportTo(w io.Writer, snap *Snapshot) error {
	out := w
	switch base := w.(type) {
	case *os.File:
		zw := gzip.NewWriter(base)
		defer zw.Close() // HAZ defer-close-unchecked-write
		out = zw
	case *bytes.Buffer:
		base.Grow(64 * len(snap.Records))
	}
	return snap.encode(out)
}

// ExportCompressed is ExportTo with the gzip trailer's error reported.
func ExportCompressed(w io.Writer, snap *Snapshot) (err error) {
	out := w
	switch base := w.(type) {
	case *os.File:
		zw := gzip.NewWriter(base)
		defer func() { err = errors.Join(err, zw.Close()) }()
		out = zw
	case *bytes.Buffer:
		base.Grow(64 * len(snap.Records))
	}
	return snap.encode(out)
}

// ExportFile creates path and writes a compressed snapshot into it; both the
// gzip writer and the file are closed explicitly and checked.
func ExportFile(path string, snap *Snapshot) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	if err := snap.encode(zw); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}
