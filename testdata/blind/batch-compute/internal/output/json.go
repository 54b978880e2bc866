package output

import (
	"bufio"
	"compress/gzip"
	"encoding/gob"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"example.com/batchcompute/internal/progress"
)

// WriteJSONFile writes v as indented JSON to path.
func WriteJSONFile(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteJSONFileChecked writes v as indented JSON and returns the close error.
func WriteJSONFileChecked(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// WriteJSONLines writes one JSON object per record through a buffer.
func WriteJSONLines(path string, recs []Record) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()
	enc := json.NewEncoder(bw)
	for _, r := range recs {
		if err := enc.Encode(r); err != nil {
			return err
		}
	}
	return f.Sync()
}

// WriteJSONLinesBuffered writes one JSON object per record, flushing the buffer before
// the file is synced and closed.
func WriteJSONLinesBuffered(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
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
	return f.Sync()
}

// WriteGobGz writes v gob-encoded and gzip-compressed to path.
func WriteGobGz(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	return gob.NewEncoder(zw).Encode(v)
}

// WriteGobGzChecked is WriteGobGz with the wrapper closed first and every close checked.
func WriteGobGzChecked(path string, v any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	return gob.NewEncoder(zw).Encode(v)
}

// ReadGobGz decodes a gzip'd gob file into v.
func ReadGobGz(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return gob.NewDecoder(zr).Decode(v)
}

// ReadJSON decodes the JSON file at path into v.
func ReadJSON(path string, v any) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

func logResult(kind, path string, err error) {
	if err != nil {
		log.Printf("output %s %s: %v", kind, path, err)
		return
	}
	log.Printf("output %s %s: ok", kind, path)
}

// Export writes recs as CSV and gzip'd CSV into dir.
func Export(dir string, recs []Record) error {
	var err error
	defer logResult("export", dir, err) // HAZ defer-eager-evaluation
	err = WriteCSVFile(filepath.Join(dir, "results.csv"), recs)
	if err != nil {
		return err
	}
	err = WriteCSVGz(filepath.Join(dir, "results.csv.gz"), recs)
	return err
}

// ExportAll writes recs in every supported format into dir.
func ExportAll(dir string, recs []Record) (err error) {
	defer func() { logResult("export-all", dir, err) }()
	defer progress.Timed("export-all", log.Printf)()
	if err = WriteCSVGz(filepath.Join(dir, "results.csv.gz"), recs); err != nil {
		return err
	}
	if err = WriteJSONLinesBuffered(filepath.Join(dir, "results.jsonl"), recs); err != nil {
		return err
	}
	return WriteGobGzChecked(filepath.Join(dir, "results.gob.gz"), recs)
}

// ExportJSON writes recs as JSON lines into dir, logging how long it took.
func ExportJSON(dir string, recs []Record) error {
	defer progress.Timed("export-json", log.Printf) // HAZ defer-func-result-not-called
	return WriteJSONLinesBuffered(filepath.Join(dir, "results.jsonl"), recs)
}

// Writer is a format-specific record writer.
type Writer func(path string, recs []Record) error

// ForFormat returns the writer for a format name.
func ForFormat(format string) (Writer, error) {
	switch format {
	case "csv":
		return WriteCSVFile, nil
	case "csv.gz":
		return WriteCSVGz, nil
	case "jsonl":
		return WriteJSONLinesBuffered, nil
	case "gob.gz":
		return func(path string, recs []Record) error { return WriteGobGzChecked(path, recs) }, nil
	}
	return nil, fmt.Errorf("output: unknown format %q", format)
}

// CopyTo streams the file at path into w.
func CopyTo(w io.Writer, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}
