// Package archive creates, lists, verifies and extracts tar.gz and zip
// archives for release tooling.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// Builder writes archives and logs what it does.
type Builder struct {
	Logger *log.Logger
	Level  int
}

// NewBuilder returns a Builder with default compression.
func NewBuilder(logger *log.Logger) *Builder {
	return &Builder{Logger: logger, Level: gzip.DefaultCompression}
}

// addFile copies one file into tw; the source is read-only and closed by
// the defer when this helper returns, once per file.
func addFile(tw *tar.Writer, path, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.ToSlash(name)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// CreateTarGz writes files (relative to root) into dst. Writers are closed
// innermost first and every close error is checked; the file's own close
// is joined into the named result.
func (b *Builder) CreateTarGz(dst, root string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	defer b.Logger.Printf("archive: finished %s", dst)
	gw, err := gzip.NewWriterLevel(f, b.Level)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gw)
	for _, name := range files {
		if err := addFile(tw, filepath.Join(root, name), name); err != nil {
			return fmt.Errorf("adding %s: %w", name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gw.Close(); err != nil {
		return err
	}
	return f.Sync()
}

// AppendFiles adds files to an open tar stream.
func AppendFiles(tw *tar.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(fi, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.Base(p)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(tw, f); err != nil {
			return err
		}
	}
	return nil
}

// CollectFiles walks root and returns regular files, relative and sorted.
func CollectFiles(root string, skip func(rel string) bool) ([]string, error) {
	var out []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		if d.IsDir() {
			if rel != "." && skip != nil && skip(rel+"/") {
				return filepath.SkipDir
			}
			return nil
		}
		if d.Type().IsRegular() && (skip == nil || !skip(rel)) {
			out = append(out, rel)
		}
		return nil
	})
	sort.Strings(out)
	return out, err
}

// ListTarGz returns the member names of a tar.gz; the file is read-only.
func ListTarGz(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer gr.Close()
	tr := tar.NewReader(gr)
	var names []string
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return names, err
		}
		names = append(names, hdr.Name)
	}
}

// safeJoin joins name under dir, refusing paths that escape it.
func safeJoin(dir, name string) (string, error) {
	p := filepath.Join(dir, filepath.FromSlash(name))
	if p != dir && !strings.HasPrefix(p, filepath.Clean(dir)+string(filepath.Separator)) {
		return "", fmt.Errorf("archive: member %q escapes destination", name)
	}
	return p, nil
}
