package cache

import (
	"compress/gzip"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

const indexName = "index.json.gz"

type indexFile struct {
	Version int     `json:"version"`
	Entries []Entry `json:"entries"`
}

// loadIndex reads the compressed index of dir.
func loadIndex(dir string) (map[string]*Entry, error) {
	f, err := os.Open(filepath.Join(dir, indexName))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return make(map[string]*Entry), nil
		}
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	var idx indexFile
	if err := json.NewDecoder(zr).Decode(&idx); err != nil {
		return nil, err
	}
	out := make(map[string]*Entry, len(idx.Entries))
	for i := range idx.Entries {
		e := idx.Entries[i]
		out[e.Key] = &e
	}
	return out, nil
}

// saveIndex writes the compressed index of dir.
func saveIndex(dir string, entries []Entry) error {
	f, err := os.Create(filepath.Join(dir, indexName))
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	if err := json.NewEncoder(zw).Encode(indexFile{Version: 1, Entries: entries}); err != nil {
		return err
	}
	return f.Sync()
}

// saveIndexAtomic writes the index to a temp file, closing the gzip stream
// before the file, and renames it into place.
func saveIndexAtomic(dir string, entries []Entry) (err error) {
	tmp, err := os.CreateTemp(dir, ".index-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	zw := gzip.NewWriter(tmp)
	if err := json.NewEncoder(zw).Encode(indexFile{Version: 1, Entries: entries}); err != nil {
		tmp.Close()
		return err
	}
	if err := zw.Close(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), filepath.Join(dir, indexName))
}

// writeMeta writes the sidecar metadata of one cached object.
func writeMeta(path string, e Entry) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	if err = json.NewEncoder(f).Encode(e); err != nil {
		return err
	}
	err = f.Sync()
	return err
}

// readMeta reads the sidecar metadata of one cached object.
func readMeta(path string) (Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return Entry{}, err
	}
	defer f.Close()
	var e Entry
	err = json.NewDecoder(f).Decode(&e)
	return e, err
}

// rebuildIndex reconstructs the index from the sidecar files.
func rebuildIndex(dir string) (map[string]*Entry, error) {
	out := make(map[string]*Entry)
	root := filepath.Join(dir, "objects")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".meta") {
			return nil
		}
		e, err := readMeta(path)
		if err != nil {
			return nil // a torn sidecar only loses that object
		}
		if info, err := os.Stat(strings.TrimSuffix(path, ".meta")); err == nil {
			e.Size = info.Size()
			out[e.Key] = &e
		}
		return nil
	})
	return out, err
}
