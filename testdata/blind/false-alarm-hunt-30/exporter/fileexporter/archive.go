package fileexporter

import (
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"example.com/fah30/pdata"
)

// compressFile writes src.gz next to src. The gzip writer is closed before
// the file it writes into, and both errors reach the caller.
func compressFile(src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	zw := gzip.NewWriter(out)
	defer func() { err = errors.Join(err, zw.Close()) }()
	zw.Name = filepath.Base(src)
	_, err = io.Copy(zw, in)
	return err
}

// writeArchive writes batches as gzipped JSON lines to path.
func writeArchive(path string, batches []pdata.Batch) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	enc := json.NewEncoder(zw)
	for i, b := range batches {
		if err := enc.Encode(b); err != nil {
			return fmt.Errorf("archive batch %d: %w", i, err)
		}
	}
	return nil
}

// readArchive loads the batches of an archive written by writeArchive.
func readArchive(path string) ([]pdata.Batch, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("archive %s: %w", path, err)
	}
	var out []pdata.Batch
	dec := json.NewDecoder(zr)
	for dec.More() {
		var b pdata.Batch
		if err := dec.Decode(&b); err != nil {
			return out, fmt.Errorf("archive %s: batch %d: %w", path, len(out)+1, err)
		}
		out = append(out, b)
	}
	return out, nil
}

// manifest describes the archives in a directory.
type manifest struct {
	Created  time.Time `json:"created"`
	Archives []string  `json:"archives"`
	Spans    int64     `json:"spans"`
}

// writeManifest writes m as indented JSON.
func writeManifest(path string, m manifest) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// readManifest loads a manifest written by writeManifest.
func readManifest(path string) (manifest, error) {
	var m manifest
	f, err := os.Open(path)
	if err != nil {
		return m, err
	}
	defer f.Close()
	if err := json.NewDecoder(bufio.NewReader(f)).Decode(&m); err != nil {
		return m, fmt.Errorf("manifest %s: %w", path, err)
	}
	return m, nil
}

// checkpoint records how far a replay got.
type checkpoint struct {
	File   string `json:"file"`
	Offset int64  `json:"offset"`
}

// writeCheckpoint replaces path atomically. The deferred Close only matters
// on the error paths; on success the file is synced and closed explicitly and
// that error is checked.
func writeCheckpoint(path string, cp checkpoint) error {
	tmp := path + ".tmp"
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := json.NewEncoder(f).Encode(cp); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	return os.Rename(tmp, path)
}

// mergeSegments copies the rotated segments, oldest first, into dst.
func mergeSegments(dst io.Writer, paths []string) (int64, error) {
	var total int64
	for _, p := range paths {
		in, err := os.Open(p)
		if err != nil {
			return total, err
		}
		defer in.Close() // HAZ defer-in-loop
		n, err := io.Copy(dst, in)
		total += n
		if err != nil {
			return total, fmt.Errorf("merge %s: %w", p, err)
		}
	}
	return total, nil
}

// segmentStats counts lines and bytes over the segments, holding one file
// open at a time.
func segmentStats(paths []string) (lines, size int64, err error) {
	for _, p := range paths {
		err = func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
			for sc.Scan() {
				lines++
				size += int64(len(sc.Bytes())) + 1
			}
			return sc.Err()
		}()
		if err != nil {
			return lines, size, fmt.Errorf("stats %s: %w", p, err)
		}
	}
	return lines, size, nil
}

// mergeInto writes the concatenation of paths to out; a failed close of out
// fails the merge.
func mergeInto(out string, paths []string) (err error) {
	f, err := os.OpenFile(out, os.O_CREATE|os.O_WRONLY|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	bw := bufio.NewWriter(f)
	if _, err := mergeSegments(bw, paths); err != nil {
		return err
	}
	return bw.Flush()
}

// Compact merges the rotated backups into one file and removes them. A lock
// file keeps two collectors sharing the directory from compacting at once.
func (e *Exporter) Compact() error {
	dir := filepath.Dir(e.cfg.Path)
	lock, err := acquireDirLock(dir)
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lock.Release(); rerr != nil {
			err = errors.Join(err, rerr)
		}
	}()
	backups, err := e.backups()
	if err != nil || len(backups) < 2 {
		return err
	}
	out := filepath.Join(dir, "compacted-"+time.Now().UTC().Format("20060102T150405")+".jsonl")
	if err = mergeInto(out, backups); err != nil {
		return err
	}
	for _, b := range backups {
		err = errors.Join(err, os.Remove(b))
	}
	return err
}

// stageArchive writes the archive under a temporary name and renames it
// into place, so that readers never see a partial archive. The temporary
// file is removed when anything fails.
func stageArchive(dir, name string, batches []pdata.Batch) error {
	cleanup := func() {}
	defer cleanup() // HAZ defer-eager-evaluation
	tmp, err := os.CreateTemp(dir, name+".tmp-*")
	if err != nil {
		return err
	}
	tmpName := tmp.Name()
	cleanup = func() { os.Remove(tmpName) }
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := writeArchive(tmpName, batches); err != nil {
		return err
	}
	if err := os.Rename(tmpName, filepath.Join(dir, name)); err != nil {
		return err
	}
	cleanup = func() {}
	return nil
}

// Archive writes the given batches to a dated archive in the exporter's
// directory and records it in the manifest.
func (e *Exporter) Archive(batches []pdata.Batch) error {
	dir := filepath.Dir(e.cfg.Path)
	name := "archive-" + time.Now().UTC().Format("20060102T150405") + ".jsonl.gz"
	if err := stageArchive(dir, name, batches); err != nil {
		return err
	}
	mpath := filepath.Join(dir, "manifest.json")
	m, err := readManifest(mpath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	m.Created = time.Now().UTC()
	m.Archives = append(m.Archives, name)
	for _, b := range batches {
		m.Spans += int64(b.Len())
	}
	return writeManifest(mpath, m)
}

// BackupStats reports the lines and bytes held in rotated backups.
func (e *Exporter) BackupStats() (lines, size int64, err error) {
	backups, err := e.backups()
	if err != nil {
		return 0, 0, err
	}
	return segmentStats(backups)
}

// ArchiveSpans counts the spans in one archive of the exporter's directory.
func (e *Exporter) ArchiveSpans(name string) (int, error) {
	batches, err := readArchive(filepath.Join(filepath.Dir(e.cfg.Path), filepath.Base(name)))
	n := 0
	for _, b := range batches {
		n += b.Len()
	}
	return n, err
}
