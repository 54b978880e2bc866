package wal

import (
	"bufio"
	"compress/gzip"
	"errors"
	"io"
	"os"
)

// WriteSegment writes recs to a fresh segment file at path. The leader uses
// it to hand a lagging follower the log tail that follows a snapshot.
func WriteSegment(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if err := encodeRecord(f, r); err != nil {
			return err
		}
	}
	return nil
}

// ExportArchive writes every record of the log in dir, gzip-compressed, to
// path (for `leasectl backup --with-log`).
func ExportArchive(dir, path string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return Replay(dir, func(r Record) error { return encodeRecord(zw, r) })
}

// ImportArchive reads an archive written by ExportArchive and calls fn for
// each record.
func ImportArchive(path string, fn func(Record) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	defer zr.Close()
	br := bufio.NewReader(zr)
	for {
		rec, err := decodeRecord(br)
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := fn(rec); err != nil {
			return err
		}
	}
}
