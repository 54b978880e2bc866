package fqueue

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Index records consumer positions so readers can resume.
type Index struct {
	Version   int               `json:"version"`
	Consumers map[string]Cursor `json:"consumers"`
}

// Cursor is a position in the queue.
type Cursor struct {
	Segment uint64 `json:"segment"`
	Record  int    `json:"record"`
}

const indexFile = "index.json"

// ReadIndex loads the index from dir. A missing file yields an empty index.
func ReadIndex(dir string) (Index, error) {
	idx := Index{Version: 1, Consumers: map[string]Cursor{}}
	f, err := os.Open(filepath.Join(dir, indexFile))
	if errors.Is(err, os.ErrNotExist) {
		return idx, nil
	}
	if err != nil {
		return idx, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&idx); err != nil {
		return idx, fmt.Errorf("fqueue: decode index: %w", err)
	}
	return idx, nil
}

// writeIndexFast overwrites the index in place, for the hot path.
func writeIndexFast(dir string, idx Index) error {
	f, err := os.Create(filepath.Join(dir, indexFile))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	return json.NewEncoder(f).Encode(idx)
}

// WriteFileAtomic writes data to a temporary file, syncs it and renames it
// over path. Close errors are joined into the named result.
func WriteFileAtomic(path string, write func(io.Writer) error) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".tmp-"+filepath.Base(path)+"-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(tmp.Name())
		}
	}()
	defer func() { err = errors.Join(err, tmp.Close()) }()

	bw := bufio.NewWriter(tmp)
	if err = write(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteIndex stores the index atomically.
func WriteIndex(dir string, idx Index) error {
	return WriteFileAtomic(filepath.Join(dir, indexFile), func(w io.Writer) error {
		enc := json.NewEncoder(w)
		enc.SetIndent("", "  ")
		return enc.Encode(idx)
	})
}

// Commit advances consumer's cursor and persists the index.
func Commit(dir, consumer string, c Cursor) error {
	idx, err := ReadIndex(dir)
	if err != nil {
		return err
	}
	if idx.Consumers == nil {
		idx.Consumers = map[string]Cursor{}
	}
	idx.Consumers[consumer] = c
	return WriteIndex(dir, idx)
}

// CommitFast is Commit through the in-place writer.
func CommitFast(dir, consumer string, c Cursor) error {
	idx, err := ReadIndex(dir)
	if err != nil {
		return err
	}
	idx.Consumers[consumer] = c
	return writeIndexFast(dir, idx)
}

// ExportCSV writes one line per consumer. The file is closed explicitly
// and its error returned; the deferred Close only covers early returns.
func ExportCSV(path string, idx Index) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for name, c := range idx.Consumers {
		if _, err := fmt.Fprintf(w, "%s,%d,%d\n", name, c.Segment, c.Record); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}
