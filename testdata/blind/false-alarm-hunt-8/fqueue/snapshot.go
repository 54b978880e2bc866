package fqueue

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// WriteManifest records the ids of the segments in dir/MANIFEST.
func (q *Queue) WriteManifest() error {
	ids, err := listSegments(q.dir)
	if err != nil {
		return err
	}
	f, err := os.Create(filepath.Join(q.dir, "MANIFEST"))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, id := range ids {
		if _, err := fmt.Fprintf(f, "%08d\n", id); err != nil {
			return err
		}
	}
	return nil
}

// ReadManifest returns the ids listed in dir/MANIFEST.
func (q *Queue) ReadManifest() ([]int, error) {
	f, err := os.Open(filepath.Join(q.dir, "MANIFEST"))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var ids []int
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" {
			continue
		}
		id, err := strconv.Atoi(line)
		if err != nil {
			return nil, fmt.Errorf("MANIFEST: %w", err)
		}
		ids = append(ids, id)
	}
	return ids, sc.Err()
}

// WriteIndex writes "segment offset" lines, sorted by segment. The file's
// Close error is merged into the named result by the deferred closure.
func WriteIndex(path string, idx map[int]int64) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	keys := make([]int, 0, len(idx))
	for k := range idx {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	w := bufio.NewWriter(f)
	for _, k := range keys {
		if _, err := fmt.Fprintf(w, "%d %d\n", k, idx[k]); err != nil {
			return err
		}
	}
	return w.Flush()
}

// writeFileAtomic writes data to path through a temporary file and a rename,
// so readers never see a partial file. The deferred Close only matters on
// the error paths; on success Close is called and checked before the rename,
// and the deferred Remove finds nothing left to remove.
func writeFileAtomic(path string, data []byte) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer os.Remove(tmp)
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

type exportRecord struct {
	Seg  int    `json:"seg"`
	Data []byte `json:"data"`
}

// Export writes every sealed record to path as JSON lines.
func (q *Queue) Export(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	enc := json.NewEncoder(w)
	err = q.ReplayFrom(0, func(seg int, rec []byte) error {
		return enc.Encode(exportRecord{Seg: seg, Data: rec})
	})
	if err != nil {
		return err
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// readExport decodes an export file, calling fn per record.
func readExport(path string, fn func(exportRecord) error) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	for dec.More() {
		var r exportRecord
		if err := dec.Decode(&r); err != nil {
			return err
		}
		if err := fn(r); err != nil {
			return err
		}
	}
	return nil
}

// Import appends the records of an export file and deletes the file once
// every record was appended.
func (q *Queue) Import(path string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err == nil {
			err = os.Remove(path)
		}
	}()
	err = readExport(path, func(r exportRecord) error { return q.Append(r.Data) })
	return err
}
