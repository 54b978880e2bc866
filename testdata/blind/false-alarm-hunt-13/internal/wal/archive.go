package wal

import (
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// ManifestEntry describes one archived segment.
type ManifestEntry struct {
	Segment string `json:"segment"`
	Archive string `json:"archive"`
	Bytes   int64  `json:"bytes"`
}

// Archive compresses all but the newest keep segments of dir into
// archiveDir, records them in a manifest and a checksum file, and removes
// the originals.
func Archive(dir, archiveDir string, keep int) error {
	names, err := Segments(dir)
	if err != nil {
		return err
	}
	if len(names) <= keep {
		return nil
	}
	if err := os.MkdirAll(archiveDir, 0o755); err != nil {
		return err
	}
	old := names[:len(names)-keep]
	entries := make([]ManifestEntry, 0, len(old))
	sums := make(map[string]string, len(old))
	for _, name := range old {
		dst := filepath.Join(archiveDir, name+".gz")
		if err := archiveSegment(filepath.Join(dir, name), dst); err != nil {
			return fmt.Errorf("archive %s: %w", name, err)
		}
		fi, err := os.Stat(dst)
		if err != nil {
			return err
		}
		sum, err := fileSHA256(dst)
		if err != nil {
			return err
		}
		entries = append(entries, ManifestEntry{Segment: name, Archive: filepath.Base(dst), Bytes: fi.Size()})
		sums[filepath.Base(dst)] = sum
	}
	if err := writeManifest(filepath.Join(archiveDir, "MANIFEST.jsonl"), entries); err != nil {
		return err
	}
	if err := writeChecksums(filepath.Join(archiveDir, "SHA256SUMS"), sums); err != nil {
		return err
	}
	for _, name := range old {
		if err := os.Remove(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

// archiveSegment gzips src into dst and fsyncs the result.
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
	zw.Name = filepath.Base(src)
	defer zw.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close()

	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return out.Sync()
}

// writeManifest writes one JSON line per archived segment.
func writeManifest(path string, entries []ManifestEntry) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	enc := json.NewEncoder(f)
	for _, e := range entries {
		if err := enc.Encode(e); err != nil {
			return err
		}
	}
	return nil
}

// writeChecksums writes a sha256sum-compatible file. The deferred Close
// covers the early returns; the success path returns Close's error.
func writeChecksums(path string, sums map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()

	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if _, err := fmt.Fprintf(f, "%s  %s\n", sums[name], name); err != nil {
			return err
		}
	}
	return f.Close()
}

// fileSHA256 returns the hex SHA-256 of the file at path.
func fileSHA256(path string) (string, error) {
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

// ExportSnapshot writes recs as a gzip-compressed segment at path. The
// gzip writer is closed before the file (defers run last-in first-out) and
// both errors reach the caller through the named result.
func ExportSnapshot(path string, recs []Record) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()

	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()

	for _, r := range recs {
		if err := Encode(zw, r); err != nil {
			return err
		}
	}
	return nil
}

// ArchiveInfo returns the gzip header of an archived segment, whose Name is
// the original segment file name.
func ArchiveInfo(path string) (gzip.Header, error) {
	f, err := os.Open(path)
	if err != nil {
		return gzip.Header{}, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return gzip.Header{}, fmt.Errorf("%s: %w", path, err)
	}
	return zr.Header, nil
}

// ReadArchive applies every record of a gzip-compressed segment.
func ReadArchive(path string, apply func(Record) error) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", path, err)
	}
	defer zr.Close()
	return replay(zr, apply)
}
