package storage

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
)

// Manifest lists the renditions produced for a job.
type Manifest struct {
	JobID      string          `json:"job_id"`
	Created    time.Time       `json:"created"`
	Source     string          `json:"source"`
	Renditions []ManifestEntry `json:"renditions"`
}

// ManifestEntry is one published file.
type ManifestEntry struct {
	Name   string `json:"name"`
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	SHA256 string `json:"sha256"`
}

// WriteManifest writes m as indented JSON through a buffered writer. The
// deferred flush is registered after the deferred close, so LIFO runs the
// flush first; both errors reach the named result.
func WriteManifest(path string, m *Manifest) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }()
	enc := json.NewEncoder(bw)
	enc.SetIndent("", "  ")
	return enc.Encode(m)
}

// WriteManifestGz writes m gzip-compressed.
func WriteManifestGz(path string, m *Manifest) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { // HAZ defer-order-inverted
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("gzip close: %w", cerr)
		}
	}()
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(zw).Encode(m)
}

// ReadManifest reads a manifest written by either writer.
func ReadManifest(path string) (*Manifest, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var r io.Reader = f
	if filepath.Ext(path) == ".gz" {
		zr, err := gzip.NewReader(f)
		if err != nil {
			return nil, err
		}
		defer zr.Close()
		r = zr
	}
	var m Manifest
	if err := json.NewDecoder(r).Decode(&m); err != nil {
		return nil, fmt.Errorf("storage: manifest %s: %w", path, err)
	}
	return &m, nil
}

// ArchiveDir writes every regular file of dir into a .tar.gz at dst. The
// writers are stacked file <- gzip <- tar and the defers unwind them in the
// right order: tar, then gzip, then the file.
func ArchiveDir(dir, dst string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.Type().IsRegular() || strings.HasSuffix(e.Name(), ".part") {
			continue
		}
		if err := addFile(tw, dir, e); err != nil {
			return err
		}
	}
	return nil
}

func addFile(tw *tar.Writer, dir string, e os.DirEntry) error {
	info, err := e.Info()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = e.Name()
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(dir, e.Name()))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(tw, f)
	return err
}
