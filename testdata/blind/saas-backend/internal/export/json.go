package export

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
)

// Manifest describes an export bundle.
type Manifest struct {
	Tenant string   `json:"tenant"`
	Files  []string `json:"files"`
	Rows   int      `json:"rows"`
}

// WriteJSONFile writes v as indented JSON. The deferred Close only matters
// on the error paths; the success path returns the checked Close.
func WriteJSONFile(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("encode %s: %w", path, err)
	}
	return f.Close()
}

// LoadManifest reads a manifest file.
func LoadManifest(path string) (Manifest, error) {
	var m Manifest
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	if err := json.NewDecoder(f).Decode(&m); err != nil {
		return m, fmt.Errorf("decode %s: %w", path, err)
	}
	return m, nil
}

// LoadTemplate reads a report template shipped next to the binary.
func LoadTemplate(dir, name string) ([]byte, error) {
	f, err := os.Open(filepath.Join(dir, name+".tmpl"))
	defer f.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	buf := make([]byte, st.Size())
	_, err = f.Read(buf)
	return buf, err
}

// WriteJSONGz writes v as gzip-compressed JSON lines.
func WriteJSONGz(path string, items []any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// WriteJSONLines writes items as buffered JSON lines. Flush runs before
// Close (LIFO) and both errors are kept.
func WriteJSONLines(path string, items []any) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	enc := json.NewEncoder(bw)
	for _, it := range items {
		if err := enc.Encode(it); err != nil {
			return err
		}
	}
	return nil
}

// ReportOptions control WriteReport.
type ReportOptions struct {
	// Exclusive takes a lock file next to the report while writing it.
	Exclusive bool
}

// lockFile creates path+".lock" and returns the function that removes it.
func lockFile(path string) (func(), error) {
	lock := path + ".lock"
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, fmt.Errorf("report %s is locked: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return nil, err
	}
	return func() { _ = os.Remove(lock) }, nil
}

// WriteReport writes the manifest as the report, optionally under a lock.
func WriteReport(path string, m Manifest, opts ReportOptions) error {
	var unlock func()
	if opts.Exclusive {
		var err error
		if unlock, err = lockFile(path); err != nil {
			return err
		}
	}
	defer unlock() // HAZ defer-nil-func
	return WriteJSONFile(path, m)
}

// WriteReportLocked always takes the lock; unlock is set on every path that
// reaches the defer.
func WriteReportLocked(path string, m Manifest) error {
	unlock, err := lockFile(path)
	if err != nil {
		return err
	}
	defer unlock()
	return WriteJSONFile(path, m)
}
