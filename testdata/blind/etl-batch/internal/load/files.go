package load

import (
	"archive/zip"
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"example.com/etl/internal/record"
)

// WriteCSV writes recs atomically with the given column order.
func WriteCSV(path string, schema record.Schema, recs []record.Record) error {
	return WriteFileAtomic(path, 0o644, func(w io.Writer) error {
		cw := csv.NewWriter(w)
		if err := cw.Write(schema); err != nil {
			return err
		}
		for _, r := range recs {
			if err := cw.Write(schema.Values(r)); err != nil {
				return err
			}
		}
		cw.Flush()
		return cw.Error()
	})
}

// WriteJSONL writes recs as JSON lines.
func WriteJSONL(path string, recs []record.Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSONLGz writes recs as gzip-compressed JSON lines.
func WriteJSONLGz(path string, recs []record.Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	enc := json.NewEncoder(zw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// WriteZip bundles several already-rendered outputs into one archive.
func WriteZip(path string, parts map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	for _, name := range slices.Sorted(maps.Keys(parts)) {
		w, err := zw.Create(name)
		if err != nil {
			return err
		}
		if _, err := w.Write(parts[name]); err != nil {
			return err
		}
	}
	return zw.Close()
}

// WriteReport writes a plain-text run report.
func WriteReport(path string, lines []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	bw := bufio.NewWriter(f)
	for _, l := range lines {
		if _, err := bw.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// AppendAudit appends one timestamped line to the audit log.
func AppendAudit(path string, format string, args ...any) error {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	line := time.Now().UTC().Format(time.RFC3339) + " " + fmt.Sprintf(format, args...) + "\n"
	_, err = f.WriteString(line)
	return err
}

// ReadManifest returns the set of input files that were already loaded,
// one path per line; a missing manifest is an empty set.
func ReadManifest(path string) (map[string]bool, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return map[string]bool{}, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	done := make(map[string]bool)
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); line != "" {
			done[line] = true
		}
	}
	return done, sc.Err()
}

// WriteCSVBundle writes one CSV member per table into a zip archive.
func WriteCSVBundle(path string, tables map[string][]record.Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, name := range slices.Sorted(maps.Keys(tables)) {
		w, err := zw.Create(name + ".csv")
		if err != nil {
			return err
		}
		recs := tables[name]
		schema := record.InferSchema(recs)
		cw := csv.NewWriter(w)
		if err := cw.Write(schema); err != nil {
			return err
		}
		for _, r := range recs {
			if err := cw.Write(schema.Values(r)); err != nil {
				return err
			}
		}
		cw.Flush()
		if err := cw.Error(); err != nil {
			return err
		}
	}
	return nil
}

// StageFile copies src into the staging directory and validates the copy;
// an invalid copy is removed again.
func StageFile(src, dir string, validate func(path string) error) (string, error) {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	dst := filepath.Join(dir, filepath.Base(src))
	if err := CopyFileAtomic(src, dst); err != nil {
		return "", err
	}
	cleanup = func() { os.Remove(dst) }
	if err := validate(dst); err != nil {
		return "", fmt.Errorf("stage %s: %w", src, err)
	}
	cleanup = func() {}
	return dst, nil
}
