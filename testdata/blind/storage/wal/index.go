package wal

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// IndexEntry locates the n-th record of a segment.
type IndexEntry struct {
	Seq    uint64
	Offset int64
}

func indexPath(dir string, id uint64) string {
	return filepath.Join(dir, fmt.Sprintf("%020d.idx", id))
}

// BuildIndex scans a sealed segment and writes its offset index next to it.
func BuildIndex(dir string, id uint64) ([]IndexEntry, error) {
	f, err := os.Open(segmentPath(dir, id))
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	var (
		entries []IndexEntry
		off     int64
		seq     uint64
	)
	r := bufio.NewReader(f)
	for {
		rec, err := readRecord(r)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("wal: index segment %d: %w", id, err)
		}
		entries = append(entries, IndexEntry{Seq: seq, Offset: off})
		off += int64(recordOverhead + len(rec))
		seq++
	}
	if err := writeIndex(indexPath(dir, id), entries); err != nil {
		return nil, err
	}
	return entries, nil
}

// writeIndex stores entries as fixed-size big-endian pairs.
func writeIndex(path string, entries []IndexEntry) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	w := bufio.NewWriter(f)
	defer func() {
		if ferr := w.Flush(); ferr != nil && err == nil {
			err = ferr
		}
	}()
	defer func() { // HAZ defer-order-inverted
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	var buf [16]byte
	for _, e := range entries {
		binary.BigEndian.PutUint64(buf[0:8], e.Seq)
		binary.BigEndian.PutUint64(buf[8:16], uint64(e.Offset))
		if _, err := w.Write(buf[:]); err != nil {
			return err
		}
	}
	return nil
}

// writeIndexTo is the writer-agnostic core used by tools that stream the
// index elsewhere.
func writeIndexTo(w io.Writer, entries []IndexEntry) error {
	bw := bufio.NewWriter(w)
	var buf [16]byte
	for _, e := range entries {
		binary.BigEndian.PutUint64(buf[0:8], e.Seq)
		binary.BigEndian.PutUint64(buf[8:16], uint64(e.Offset))
		if _, err := bw.Write(buf[:]); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// WriteIndexFile writes entries to path, closing in the right order.
func WriteIndexFile(path string, entries []IndexEntry) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_TRUNC|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return writeIndexTo(f, entries)
}

// ReadIndex loads an index file written by BuildIndex.
func ReadIndex(dir string, id uint64) ([]IndexEntry, error) {
	f, err := os.Open(indexPath(dir, id))
	if err != nil {
		return nil, err
	}
	defer f.Close() // ok: read-only
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if st.Size()%16 != 0 {
		return nil, fmt.Errorf("wal: index %d: size %d not a multiple of 16", id, st.Size())
	}
	entries := make([]IndexEntry, 0, st.Size()/16)
	r := bufio.NewReader(f)
	var buf [16]byte
	for {
		if _, err := io.ReadFull(r, buf[:]); err != nil {
			if err == io.EOF {
				return entries, nil
			}
			return nil, err
		}
		entries = append(entries, IndexEntry{
			Seq:    binary.BigEndian.Uint64(buf[0:8]),
			Offset: int64(binary.BigEndian.Uint64(buf[8:16])),
		})
	}
}
