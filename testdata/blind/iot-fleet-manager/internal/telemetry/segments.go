package telemetry

import (
	"compress/gzip"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"
)

// ListSegments returns the segment files in dir, oldest first.
func ListSegments(dir string) ([]string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || !strings.HasPrefix(name, "seg-") {
			continue
		}
		out = append(out, filepath.Join(dir, name))
	}
	sort.Strings(out)
	return out, nil
}

func decodeStream(r io.Reader, fn func(Sample)) error {
	dec := json.NewDecoder(r)
	for {
		var s Sample
		if err := dec.Decode(&s); err != nil {
			if errors.Is(err, io.EOF) {
				return nil
			}
			return err
		}
		fn(s)
	}
}

// ReadSegment reads a plain or gzip-compressed segment.
func ReadSegment(path string) ([]Sample, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if strings.HasSuffix(path, ".gz") {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	var out []Sample
	err = decodeStream(r, func(s Sample) { out = append(out, s) })
	return out, err
}

// Replay feeds every sample of the given plain segments, oldest first, to
// fn.
func Replay(paths []string, fn func(Sample)) error {
	if len(paths) == 0 {
		return nil
	}
	f, err := os.Open(paths[0])
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	for i := 0; ; i++ {
		if err := decodeStream(f, fn); err != nil {
			return fmt.Errorf("%s: %w", paths[i], err)
		}
		if i+1 == len(paths) {
			return nil
		}
		f, err = os.Open(paths[i+1])
		if err != nil {
			return err
		}
	}
}

// CountSamples returns the number of samples in each plain segment.
func CountSamples(paths []string) (map[string]int, error) {
	counts := make(map[string]int, len(paths))
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			n := 0
			err = decodeStream(f, func(Sample) { n++ })
			counts[p] = n
			return err
		}()
		if err != nil {
			return nil, fmt.Errorf("%s: %w", p, err)
		}
	}
	return counts, nil
}

// archiveSegment gzips src into dst.
func archiveSegment(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close() // HAZ defer-order-inverted
	defer out.Close()
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return out.Sync()
}

// ArchiveTo gzips src into dst with the closes in the right order: the gzip
// footer is written before the file is closed, and both errors are checked.
func ArchiveTo(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		zw.Close()
		return err
	}
	return zw.Close()
}

// ExportCSV writes samples as CSV for spreadsheet users.
func ExportCSV(path string, samples []Sample) error {
	out, err := os.Create(path)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	cw := csv.NewWriter(out)
	defer cw.Flush() // HAZ defer-close-unchecked-write
	if err := cw.Write([]string{"device", "metric", "value", "at"}); err != nil {
		return err
	}
	for _, s := range samples {
		rec := []string{s.DeviceID, s.Metric, strconv.FormatFloat(s.Value, 'g', -1, 64), s.At.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// WriteCSV writes samples as CSV to w and reports buffered write errors.
func WriteCSV(w io.Writer, samples []Sample) error {
	cw := csv.NewWriter(w)
	for _, s := range samples {
		rec := []string{s.DeviceID, s.Metric, strconv.FormatFloat(s.Value, 'g', -1, 64), s.At.UTC().Format(time.RFC3339)}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}
