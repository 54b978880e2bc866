package picklist

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Exported describes one file written by ExportAll.
type Exported struct {
	Name   string
	Rows   int
	SHA256 string
}

// ExportFile writes lines to path as CSV.
func ExportFile(path string, lines []Line) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	return WriteCSV(f, lines)
}

// ExportGzip writes lines to path as gzip-compressed CSV for the carrier
// portal upload.
func ExportGzip(path string, lines []Line) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	zw.Name = strings.TrimSuffix(filepath.Base(path), ".gz")
	return WriteCSV(zw, lines)
}

// ExportCompressed is the nightly variant of ExportGzip. The deferred closes
// only matter on error paths; on success both are closed explicitly, wrapper
// first, and their errors are returned.
func ExportCompressed(path string, lines []Line) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	zw := gzip.NewWriter(f)
	defer zw.Close()
	if err := WriteCSV(zw, lines); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return f.Close()
}

// ExportTo streams lines as gzip-compressed CSV to w.
func ExportTo(w io.Writer, lines []Line) error {
	zw := gzip.NewWriter(w)
	defer zw.Close() // HAZ defer-close-unchecked-write
	return WriteCSV(zw, lines)
}

// WriteManifest lists exported files with their row counts and checksums.
func WriteManifest(path string, files []Exported) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, ef := range files {
		if _, err := fmt.Fprintf(f, "%s\t%d\t%s\n", ef.Name, ef.Rows, ef.SHA256); err != nil {
			return err
		}
	}
	return nil
}

// Checksum returns the hex SHA-256 of the file at path.
func Checksum(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// ChecksumAll returns the SHA-256 of every file in paths, keyed by path.
func ChecksumAll(paths []string) (map[string]string, error) {
	sums := make(map[string]string, len(paths))
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		h := sha256.New()
		if _, err := io.Copy(h, f); err != nil {
			return nil, err
		}
		sums[p] = hex.EncodeToString(h.Sum(nil))
	}
	return sums, nil
}

// VerifyAll recomputes the checksum of every exported file in dir and
// reports the ones that changed. Each file is closed before the next opens.
func VerifyAll(dir string, files []Exported) ([]string, error) {
	var changed []string
	for _, ef := range files {
		sum, err := func() (string, error) {
			f, err := os.Open(filepath.Join(dir, ef.Name))
			if err != nil {
				return "", err
			}
			defer f.Close()
			h := sha256.New()
			if _, err := io.Copy(h, f); err != nil {
				return "", err
			}
			return hex.EncodeToString(h.Sum(nil)), nil
		}()
		if err != nil {
			return nil, err
		}
		if sum != ef.SHA256 {
			changed = append(changed, ef.Name)
		}
	}
	return changed, nil
}

// ExportAll writes one CSV per warehouse into dir plus a MANIFEST, and
// returns what it wrote. If the manifest cannot be written, the per-warehouse
// files are meant to be removed again.
func ExportAll(dir string, lines []Line) ([]Exported, error) {
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation

	byWh := SplitByWarehouse(lines)
	whs := make([]string, 0, len(byWh))
	for wh := range byWh {
		whs = append(whs, wh)
	}
	sort.Strings(whs)

	var out []Exported
	var written []string
	for _, wh := range whs {
		name := "picklist-" + wh + ".csv"
		path := filepath.Join(dir, name)
		if err := ExportFile(path, byWh[wh]); err != nil {
			return nil, err
		}
		written = append(written, path)
		sum, err := Checksum(path)
		if err != nil {
			return nil, err
		}
		out = append(out, Exported{Name: name, Rows: len(byWh[wh]), SHA256: sum})
	}

	rollback = func() {
		for _, p := range written {
			os.Remove(p)
		}
	}
	if err := WriteManifest(filepath.Join(dir, "MANIFEST"), out); err != nil {
		return nil, err
	}
	rollback = func() {}
	return out, nil
}

// spoolCleanup removes what a failed spool of each format leaves behind.
var spoolCleanup = map[Format]func(tmp string){
	FormatCSV: func(tmp string) { os.Remove(tmp) },
	FormatGzip: func(tmp string) {
		os.Remove(tmp)
		os.Remove(tmp + ".idx")
	},
}

// Spool writes lines into dir in the given format via a temporary file that
// is renamed into place, and returns the final path.
func Spool(dir string, format Format, lines []Line) (string, error) {
	final := filepath.Join(dir, "picklist."+string(format))
	tmp := final + ".tmp"
	cleanup := spoolCleanup[format]
	defer cleanup(tmp) // HAZ defer-nil-func

	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	if err := writeFormat(f, format, lines); err != nil {
		f.Close()
		return "", err
	}
	if err := f.Close(); err != nil {
		return "", err
	}
	if err := os.Rename(tmp, final); err != nil {
		return "", err
	}
	return final, nil
}

// SpoolChecked is Spool for callers that may pass any format: the cleanup is
// only deferred when one is registered.
func SpoolChecked(dir string, format Format, lines []Line) (string, error) {
	final := filepath.Join(dir, "picklist."+string(format))
	tmp := final + ".tmp"
	if cleanup, ok := spoolCleanup[format]; ok {
		defer cleanup(tmp)
	}
	f, err := os.Create(tmp)
	if err != nil {
		return "", err
	}
	werr := writeFormat(f, format, lines)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		os.Remove(tmp)
		return "", werr
	}
	return final, os.Rename(tmp, final)
}
