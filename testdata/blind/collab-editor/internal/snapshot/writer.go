// Package snapshot persists documents: compressed snapshot files written
// atomically, plus an append-only JSON-lines journal of operations.
package snapshot

import (
	"bufio"
	"compress/flate"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/ot"
)

// File name extensions and the magic prefix of snapshot files.
const (
	Ext        = ".snap"
	JournalExt = ".journal"
	magic      = "CEDS1\n"
)

// Writer writes snapshot and journal files into one directory.
type Writer struct {
	dir   string
	level int
}

// NewWriter creates dir if needed and returns a writer using the given flate
// compression level.
func NewWriter(dir string, level int) (*Writer, error) {
	if level < flate.HuffmanOnly || level > flate.BestCompression {
		return nil, fmt.Errorf("snapshot: invalid compression level %d", level)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return &Writer{dir: dir, level: level}, nil
}

// Dir returns the directory the writer writes into.
func (w *Writer) Dir() string { return w.dir }

func (w *Writer) path(id string) string        { return filepath.Join(w.dir, id+Ext) }
func (w *Writer) journalPath(id string) string { return filepath.Join(w.dir, id+JournalExt) }

// Encode writes the compressed form of s to dst (without the magic prefix).
func Encode(dst io.Writer, s doc.Snapshot, level int) (err error) {
	bw := bufio.NewWriterSize(dst, 64<<10)
	defer func() {
		if ferr := bw.Flush(); err == nil {
			err = ferr
		}
	}()
	zw, err := flate.NewWriter(bw, level)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := zw.Close(); err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(zw).Encode(s)
}

// Write stores s atomically: temp file, fsync, rename.
func (w *Writer) Write(s doc.Snapshot) (err error) {
	tmp, err := os.CreateTemp(w.dir, s.ID+".*.tmp")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.WriteString(tmp, magic); err != nil {
		return err
	}
	if err = Encode(tmp, s, w.level); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), w.path(s.ID))
}

// Export writes a compressed snapshot to an arbitrary path, for snapctl.
func Export(path string, s doc.Snapshot, level int) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.WriteString(f, magic); err != nil {
		f.Close()
		return err
	}
	zw, err := flate.NewWriter(f, level)
	if err != nil {
		f.Close()
		return err
	}
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	if err := json.NewEncoder(zw).Encode(s); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// AppendJournal appends ops to the document's journal as JSON lines.
func (w *Writer) AppendJournal(docID string, ops []ot.Op) error {
	f, err := os.OpenFile(w.journalPath(docID), os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for i, op := range ops {
		if err := enc.Encode(op); err != nil {
			return fmt.Errorf("snapshot: journal %s op %d: %w", docID, i, err)
		}
	}
	return nil
}

// TruncateJournal empties the journal once a snapshot covers it.
func (w *Writer) TruncateJournal(docID string) error {
	err := os.Truncate(w.journalPath(docID), 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Remove deletes the snapshot and journal of a document.
func (w *Writer) Remove(id string) error {
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(w.journalPath(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("snapshot: remove journal of %s: %w", id, err)
		}
		return nil
	}()
	if err := os.Remove(w.path(id)); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}

// List returns the ids of the documents that have a snapshot.
func (w *Writer) List() ([]string, error) {
	entries, err := os.ReadDir(w.dir)
	if err != nil {
		return nil, err
	}
	var ids []string
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasSuffix(e.Name(), Ext) {
			ids = append(ids, strings.TrimSuffix(e.Name(), Ext))
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// removeStaleTemp is a fs.WalkDirFunc deleting temp files older than an hour.
func (w *Writer) removeStaleTemp(path string, d fs.DirEntry, err error) error {
	if err != nil || d.IsDir() || !strings.HasSuffix(path, ".tmp") {
		return nil
	}
	info, err := d.Info()
	if err != nil || time.Since(info.ModTime()) < time.Hour {
		return nil
	}
	return os.Remove(path)
}

// WriteBatch writes every snapshot and tidies the directory afterwards.
func (w *Writer) WriteBatch(snaps []doc.Snapshot) error {
	defer filepath.WalkDir(w.dir, w.removeStaleTemp) // HAZ defer-blocking-call
	var errs []error
	for _, s := range snaps {
		if err := w.Write(s); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", s.ID, err))
		}
	}
	return errors.Join(errs...)
}
