package workflow

import (
	"archive/tar"
	"archive/zip"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"
)

// runBundle is an opened run archive.
type runBundle struct {
	zr       *zip.ReadCloser
	manifest *zip.File
}

// openBundle opens the zip archive at path and locates its manifest.
func openBundle(path string) (*runBundle, error) {
	zr, err := zip.OpenReader(path)
	if err != nil {
		return nil, err
	}
	for _, f := range zr.File {
		if f.Name == "MANIFEST" {
			return &runBundle{zr: zr, manifest: f}, nil
		}
	}
	zr.Close()
	return nil, fmt.Errorf("%s: no MANIFEST", path)
}

// ListBundle returns the names of the files in the run archive at path.
func ListBundle(path string) ([]string, error) {
	b, err := openBundle(path)
	defer b.zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	names := make([]string, 0, len(b.zr.File))
	for _, f := range b.zr.File {
		names = append(names, f.Name)
	}
	sort.Strings(names)
	return names, nil
}

// ReadManifest returns the manifest of the run archive at path.
func ReadManifest(path string) ([]byte, error) {
	b, err := openBundle(path)
	if err != nil {
		return nil, err
	}
	defer b.zr.Close()
	rc, err := b.manifest.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// PackRuns writes every run as a JSON file into a zip archive at path.
func PackRuns(path string, runs []Run) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := zip.NewWriter(f)
	defer zw.Close() // HAZ defer-close-unchecked-write
	for _, r := range runs {
		w, err := zw.Create(r.ID + ".json")
		if err != nil {
			return err
		}
		if err := json.NewEncoder(w).Encode(r); err != nil {
			return err
		}
	}
	return nil
}

// statusWidth is the width of one slot in a status file.
const statusWidth = 17

// PatchStatus overwrites slot of the fixed-width status file at path.
func PatchStatus(path string, slot int, s State) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	rec := fmt.Sprintf("%-16s\n", s)
	_, err = f.WriteAt([]byte(rec), int64(slot*statusWidth))
	return err
}

// Bundle writes files into a gzip-compressed tar archive at path.
func Bundle(path string, files map[string][]byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, gz.Close()) }()
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		hdr := &tar.Header{Name: n, Mode: 0o644, Size: int64(len(files[n])), ModTime: time.Now()}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(files[n]); err != nil {
			return err
		}
	}
	return nil
}

// ReadSegments returns the rotated segment of runID's journal followed by
// the current one.
func (j *Journal) ReadSegments(runID string) ([]byte, error) {
	f, err := os.Open(j.path(runID) + ".1")
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	old, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	f, err = os.Open(j.path(runID))
	if err != nil {
		return nil, err
	}
	cur, err := io.ReadAll(f)
	if err != nil {
		return nil, err
	}
	return append(old, cur...), nil
}

// Batch collects journal records and writes them on Close.
type Batch struct {
	j     *Journal
	runID string
	recs  []Record
}

// Batch starts a batch of records for runID.
func (j *Journal) Batch(runID string) (*Batch, error) {
	if runID == "" {
		return nil, errors.New("journal: empty run id")
	}
	return &Batch{j: j, runID: runID}, nil
}

// Add queues rec.
func (b *Batch) Add(rec Record) {
	b.recs = append(b.recs, rec)
}

// Close writes the queued records.
func (b *Batch) Close() error {
	var errs []error
	for _, rec := range b.recs {
		errs = append(errs, b.j.AppendSynced(b.runID, rec))
	}
	b.recs = nil
	return errors.Join(errs...)
}
