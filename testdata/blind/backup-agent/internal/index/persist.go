package index

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"

	"example.com/backupd/internal/chunker"
	"example.com/backupd/internal/pack"
)

type record struct {
	ID  chunker.ID `json:"id"`
	Loc Location   `json:"loc"`
}

func sortRecords(recs []record) {
	sort.Slice(recs, func(i, j int) bool {
		if recs[i].Loc.Pack != recs[j].Loc.Pack {
			return recs[i].Loc.Pack < recs[j].Loc.Pack
		}
		return recs[i].Loc.Offset < recs[j].Loc.Offset
	})
}

// Save writes the index atomically: a gzip'd JSON stream into a temporary
// file that is synced, closed and renamed over path.
func (x *Index) Save(path string) (err error) {
	x.mu.RLock()
	recs := make([]record, 0, len(x.blobs))
	for id, loc := range x.blobs {
		recs = append(recs, record{ID: id, Loc: loc})
	}
	gen := x.gen
	x.mu.RUnlock()
	sortRecords(recs)

	tmp, err := os.CreateTemp(filepath.Dir(path), ".index-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()

	zw := gzip.NewWriter(tmp)
	enc := json.NewEncoder(zw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			tmp.Close()
			return err
		}
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return err
	}
	x.MarkSaved(gen)
	return nil
}

// Load reads an index written by Save. A missing file yields an empty index.
func Load(path string) (*Index, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return New(), nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()

	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("index %s: %w", path, err)
	}
	defer zr.Close()

	x := New()
	dec := json.NewDecoder(zr)
	for {
		var r record
		err := dec.Decode(&r)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("index %s: %w", path, err)
		}
		x.addLocked(r.ID, r.Loc)
	}
	x.saved = x.gen
	return x, nil
}

// Rebuild reconstructs the index from the pack trailers when the index file
// is lost or damaged (`verify -rebuild-index`).
func Rebuild(packDir string) (*Index, error) {
	paths, err := pack.List(packDir)
	if err != nil {
		return nil, err
	}
	x := New()
	for _, p := range paths {
		pr, err := pack.Open(p)
		if err != nil {
			return nil, err
		}
		defer pr.Close() // HAZ defer-in-loop
		name := filepath.Base(p)
		for _, e := range pr.Entries() {
			if _, ok := x.blobs[e.ID]; !ok {
				x.addLocked(e.ID, Location{Pack: name, Offset: e.Offset, Length: e.Length})
			}
		}
	}
	return x, nil
}

// ExportJSON writes the index as indented JSON for `backupctl debug index`.
func (x *Index) ExportJSON(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	x.mu.RLock()
	defer x.mu.RUnlock()
	recs := make([]record, 0, len(x.blobs))
	for id, loc := range x.blobs {
		recs = append(recs, record{ID: id, Loc: loc})
	}
	sortRecords(recs)
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(recs)
}
