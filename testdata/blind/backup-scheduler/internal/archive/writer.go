// Package archive writes snapshot archives (tar streams compressed with gzip),
// their file indexes and the checksum manifest of an archive directory.
package archive

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Result describes a finished archive.
type Result struct {
	Path   string
	SHA256 string
	Size   int64
	Files  []IndexEntry
}

// IndexEntry is one file stored in an archive.
type IndexEntry struct {
	Name string
	Size int64
	Mode fs.FileMode
}

type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}

// WriteTarGz streams the trees under roots into a gzip-compressed tar file at
// dst. The checksum covers the compressed bytes as stored. On failure the
// partial file is removed.
func WriteTarGz(dst string, roots []string) (res Result, err error) {
	f, err := os.Create(dst)
	if err != nil {
		return Result{}, err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	h := sha256.New()
	cw := &countingWriter{w: io.MultiWriter(f, h)}
	zw := gzip.NewWriter(cw)
	tw := tar.NewWriter(zw)
	for _, root := range roots {
		files, err := AddTree(tw, root)
		if err != nil {
			return Result{}, fmt.Errorf("archive %s: %w", root, err)
		}
		res.Files = append(res.Files, files...)
	}
	if err := tw.Close(); err != nil {
		return Result{}, err
	}
	if err := zw.Close(); err != nil {
		return Result{}, err
	}
	res.Path, res.SHA256, res.Size = dst, hex.EncodeToString(h.Sum(nil)), cw.n
	return res, nil
}

// AddTree writes every directory and regular file under root to tw, with
// names relative to root's parent, and returns the files it wrote.
func AddTree(tw *tar.Writer, root string) ([]IndexEntry, error) {
	base := filepath.Dir(filepath.Clean(root))
	var files []IndexEntry
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil // sockets, devices and symlinks are skipped
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(base, path)
		if err != nil {
			return err
		}
		name := filepath.ToSlash(rel)
		if err := addFile(tw, path, name, info); err != nil {
			return err
		}
		if !d.IsDir() {
			files = append(files, IndexEntry{Name: name, Size: info.Size(), Mode: info.Mode()})
		}
		return nil
	})
	return files, err
}

func addFile(tw *tar.Writer, path, name string, info fs.FileInfo) error {
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	if info.IsDir() {
		hdr.Name += "/"
		return tw.WriteHeader(hdr)
	}
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// WriteSnapshot writes the archive and its index file (dst + ".idx").
func WriteSnapshot(dst string, roots []string) (Result, error) {
	res, err := WriteTarGz(dst, roots)
	if err != nil {
		return Result{}, err
	}
	if err := writeIndex(dst+".idx", res.Files); err != nil {
		return Result{}, fmt.Errorf("index for %s: %w", dst, err)
	}
	return res, nil
}

// writeIndex writes one tab-separated line per archived file.
func writeIndex(path string, entries []IndexEntry) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(f)
	defer func() { err = errors.Join(err, bw.Flush()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	for _, e := range entries {
		if _, err := fmt.Fprintf(bw, "%s\t%d\t%s\n", e.Name, e.Size, e.Mode); err != nil {
			return err
		}
	}
	return nil
}

// ReadIndex returns the file names listed in an index file.
func ReadIndex(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return readIndexFrom(f)
}

func readIndexFrom(r io.Reader) ([]string, error) {
	var names []string
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		name, _, _ := strings.Cut(sc.Text(), "\t")
		names = append(names, name)
	}
	return names, sc.Err()
}
