// Package ingest reads import manifests dropped by the capture stations and
// feeds their records through the import pipeline.
package ingest

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
)

// Source is where a manifest comes from.
type Source interface{ Name() string }

// FileSource is a manifest on local disk.
type FileSource struct{ Path string }

// InlineSource is a manifest posted in a request body.
type InlineSource struct {
	Label string
	Data  []byte
}

// ArchiveSource is a manifest inside a zip archive.
type ArchiveSource struct {
	Path   string
	Member string
}

// Name implements Source.
func (s FileSource) Name() string { return s.Path }

// Name implements Source.
func (s InlineSource) Name() string { return "inline:" + s.Label }

// Name implements Source.
func (s ArchiveSource) Name() string { return s.Path + "!" + s.Member }

// Record is one line of an import manifest.
type Record struct {
	ID   string
	Path string
	Size int64
	Tags []string
}

// decodeRecords parses "id<TAB>path<TAB>size<TAB>tag,tag" lines.
func decodeRecords(r io.Reader) ([]Record, error) {
	var out []Record
	sc := bufio.NewScanner(r)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Split(text, "\t")
		if len(fields) < 3 {
			return nil, fmt.Errorf("line %d: want at least 3 fields, got %d", line, len(fields))
		}
		size, err := strconv.ParseInt(fields[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("line %d: size: %w", line, err)
		}
		rec := Record{ID: fields[0], Path: fields[1], Size: size}
		if len(fields) > 3 && fields[3] != "" {
			rec.Tags = strings.Split(fields[3], ",")
		}
		out = append(out, rec)
	}
	return out, sc.Err()
}

// decodeCSV parses the same records from a CSV manifest with a header row.
func decodeCSV(r io.Reader) ([]Record, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	var out []Record
	for i, row := range rows {
		if i == 0 || len(row) < 3 {
			continue
		}
		size, err := strconv.ParseInt(row[2], 10, 64)
		if err != nil {
			return nil, fmt.Errorf("row %d: size: %w", i+1, err)
		}
		rec := Record{ID: row[0], Path: row[1], Size: size}
		if len(row) > 3 && row[3] != "" {
			rec.Tags = strings.Split(row[3], ";")
		}
		out = append(out, rec)
	}
	return out, nil
}

// manifest is an open manifest file.
type manifest struct {
	f    *os.File
	kind string
}

// openManifest opens path read-only.
func openManifest(path string) (*manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	kind := "tsv"
	if strings.HasSuffix(path, ".csv") {
		kind = "csv"
	}
	return &manifest{f: f, kind: kind}, nil
}

// Close closes the manifest file.
func (m *manifest) Close() error { return m.f.Close() }
