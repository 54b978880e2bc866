package workflow

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"
)

// journalFlags opens a journal file for appending records.
const journalFlags = os.O_CREATE | os.O_WRONLY | os.O_APPEND

// Record is one journal entry.
type Record struct {
	Kind  string    `json:"kind"`
	State State     `json:"state,omitempty"`
	Step  string    `json:"step,omitempty"`
	Err   string    `json:"err,omitempty"`
	At    time.Time `json:"at"`
}

// Journal stores one append-only JSON-lines file per run plus an index of
// run IDs. It is not safe for concurrent use of Index and Close.
type Journal struct {
	dir  string
	idx  *os.File
	idxw *bufio.Writer
}

// OpenJournal opens (creating if needed) the journal in dir.
func OpenJournal(dir string) (*Journal, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	idx, err := os.OpenFile(filepath.Join(dir, "index"), journalFlags, 0o644)
	if err != nil {
		return nil, err
	}
	return &Journal{dir: dir, idx: idx, idxw: bufio.NewWriter(idx)}, nil
}

// path returns the journal file of runID.
func (j *Journal) path(runID string) string {
	return filepath.Join(j.dir, runID+".jsonl")
}

// Append writes one record to the journal of runID.
func (j *Journal) Append(runID string, rec Record) error {
	f, err := os.OpenFile(j.path(runID), journalFlags, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	_, err = f.Write(append(line, '\n'))
	return err
}

// AppendSynced is Append for records that must survive a crash.
func (j *Journal) AppendSynced(runID string, rec Record) (err error) {
	f, err := os.OpenFile(j.path(runID), journalFlags, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	line, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	if _, err := f.Write(append(line, '\n')); err != nil {
		return err
	}
	return f.Sync()
}

// Close flushes the index and closes it.
func (j *Journal) Close() error {
	ferr := j.idxw.Flush()
	cerr := j.idx.Close()
	return errors.Join(ferr, cerr)
}

// Records returns the journal of runID.
func (j *Journal) Records(runID string) ([]Record, error) {
	f, err := os.OpenFile(j.path(runID), os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var out []Record
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var rec Record
		if err := json.Unmarshal(sc.Bytes(), &rec); err != nil {
			return nil, fmt.Errorf("%s: %w", runID, err)
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

// Export writes recs to path as JSON lines through a buffered writer.
func (j *Journal) Export(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(bw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// ExportTo is Export with the buffer flushed and the file closed explicitly.
func (j *Journal) ExportTo(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// Archive writes a gzip-compressed copy of the journal of runID.
func (j *Journal) Archive(runID string) (err error) {
	src, err := os.Open(j.path(runID))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(j.path(runID) + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(dst)
	defer func() { // HAZ defer-order-inverted
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	defer func() {
		if cerr := dst.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(zw, src)
	return err
}

// Compress is Archive with the cleanups registered in the right order.
func (j *Journal) Compress(runID string) (err error) {
	src, err := os.Open(j.path(runID))
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.Create(j.path(runID) + ".gz")
	if err != nil {
		return err
	}
	defer func() {
		if cerr := dst.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(dst)
	defer func() {
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(zw, src)
	return err
}
