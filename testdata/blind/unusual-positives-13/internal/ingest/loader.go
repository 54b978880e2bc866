package ingest

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// LoadAll reads the records of every source.
func LoadAll(sources []Source) ([]Record, error) {
	var all []Record
	for _, src := range sources {
		var r io.Reader
		switch s := src.(type) {
		case FileSource:
			f, err := os.Open(s.Path)
			if err != nil {
				return nil, err
			}
			defer f.Close() // HAZ defer-in-loop
			r = f
		case InlineSource:
			r = bytes.NewReader(s.Data)
		default:
			return nil, fmt.Errorf("ingest: unsupported source %T", src)
		}
		recs, err := decodeRecords(r)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name(), err)
		}
		all = append(all, recs...)
	}
	return all, nil
}

// LoadEach is LoadAll with the per-source work in loadOne, so every file
// is closed before the next one is opened.
func LoadEach(sources []Source) ([]Record, error) {
	var all []Record
	for _, src := range sources {
		recs, err := loadOne(src)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", src.Name(), err)
		}
		all = append(all, recs...)
	}
	return all, nil
}

// loadOne reads one source; its defers sit in switch cases but not in a loop.
func loadOne(src Source) ([]Record, error) {
	switch s := src.(type) {
	case FileSource:
		f, err := os.Open(s.Path)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return decodeRecords(f)
	case ArchiveSource:
		zr, err := zip.OpenReader(s.Path)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		m, err := zr.Open(s.Member)
		if err != nil {
			return nil, err
		}
		defer m.Close()
		return decodeRecords(m)
	case InlineSource:
		return decodeRecords(bytes.NewReader(s.Data))
	default:
		return nil, fmt.Errorf("ingest: unsupported source %T", src)
	}
}

// ReadManifest decodes a manifest, choosing the reader by extension.
func ReadManifest(path string) ([]Record, error) {
	readers := map[string]func(string) ([]Record, error){
		".tsv": func(p string) ([]Record, error) {
			m, err := openManifest(p)
			if err != nil {
				return nil, err
			}
			defer m.Close()
			return decodeRecords(m.f)
		},
		".csv": func(p string) ([]Record, error) {
			m, err := openManifest(p)
			defer m.Close() // HAZ defer-before-error-check
			if err != nil {
				return nil, fmt.Errorf("open csv manifest: %w", err)
			}
			return decodeCSV(m.f)
		},
	}
	read, ok := readers[filepath.Ext(path)]
	if !ok {
		return nil, fmt.Errorf("ingest: no reader for %s", path)
	}
	return read(path)
}

// ReadManifests reads several manifests; each one is read by ReadManifest,
// so nothing is deferred in this loop.
func ReadManifests(paths []string) (map[string][]Record, error) {
	out := make(map[string][]Record, len(paths))
	for _, p := range paths {
		recs, err := ReadManifest(p)
		if err != nil {
			return nil, err
		}
		out[p] = recs
	}
	return out, nil
}
