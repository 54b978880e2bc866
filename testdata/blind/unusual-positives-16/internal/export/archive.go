package export

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"os"

	"example.com/up16/internal/catalog"
)

// WriteArchive writes entries as gzip-compressed JSON lines to path.
func WriteArchive(path string, entries []catalog.Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for _, ent := range entries {
		if err := enc.Encode(ent); err != nil {
			return err
		}
	}
	return nil
}

// WriteArchiveBuffered is WriteArchive with a buffer between the encoder and the compressor.
func WriteArchiveBuffered(path string, entries []catalog.Entry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	bw := bufio.NewWriter(zw)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	enc := json.NewEncoder(bw)
	for _, ent := range entries {
		if err := enc.Encode(ent); err != nil {
			return err
		}
	}
	return nil
}

// ReadArchive reads an archive written by WriteArchive.
func ReadArchive(path string) ([]catalog.Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer (*os.File).Close(f)
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var out []catalog.Entry
	dec := json.NewDecoder(zr)
	for dec.More() {
		var ent catalog.Entry
		if err := dec.Decode(&ent); err != nil {
			return out, err
		}
		out = append(out, ent)
	}
	return out, nil
}

// AppendJournal appends one line to the journal at path.
func AppendJournal(path, line string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer (*os.File).Close(f) // HAZ defer-close-unchecked-write
	_, err = f.WriteString(line + "\n")
	return err
}

// AppendJournalSync appends lines to the journal at path and syncs it to disk.
func AppendJournalSync(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer (*os.File).Close(f)
	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return f.Sync()
}

// ReadJournal returns the lines of the journal at path.
func ReadJournal(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer (*os.File).Close(f)
	var lines []string
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		lines = append(lines, sc.Text())
	}
	return lines, sc.Err()
}
