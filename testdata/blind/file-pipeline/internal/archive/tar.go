// Package archive builds and unpacks tar.gz and zip archives of file trees.
package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path/filepath"

	"example.com/filepipeline/internal/walk"
)

// AddFiles appends each file to tw under its base name.
func AddFiles(tw *tar.Writer, paths []string) error {
	for _, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		info, err := f.Stat()
		if err != nil {
			return err
		}
		hdr, err := tar.FileInfoHeader(info, "")
		if err != nil {
			return err
		}
		hdr.Name = filepath.Base(p)
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(tw, f); err != nil {
			return fmt.Errorf("add %s: %w", p, err)
		}
	}
	return nil
}

// addFile appends one file to tw under name.
func addFile(tw *tar.Writer, path, name string, info fs.FileInfo) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	hdr.Uname, hdr.Gname = "", ""
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// AddTree appends every regular file under root, with paths relative to root.
func AddTree(tw *tar.Writer, root string) (n int, err error) {
	for path, info := range walk.Files(root) {
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return n, err
		}
		if err := addFile(tw, path, filepath.ToSlash(rel), info); err != nil {
			return n, fmt.Errorf("add %s: %w", path, err)
		}
		n++
	}
	return n, nil
}

// BuildTarGz writes a gzip-compressed tarball of root to dst. Close errors of
// every layer are reported, innermost first.
func BuildTarGz(dst, root string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, gw.Close()) }()
	tw := tar.NewWriter(gw)
	defer func() { err = errors.Join(err, tw.Close()) }()
	_, err = AddTree(tw, root)
	return err
}

// SnapshotTarGz writes the listed files, flat, to a gzip-compressed tarball.
func SnapshotTarGz(dst string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	gw := gzip.NewWriter(f)
	tw := tar.NewWriter(gw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, gw.Close()) }()
	return AddFiles(tw, files)
}

// Entries yields the headers of a tar stream. The body of the current entry
// can be read from tr inside the loop body.
func Entries(tr *tar.Reader) iter.Seq2[*tar.Header, error] {
	return func(yield func(*tar.Header, error) bool) {
		for {
			hdr, err := tr.Next()
			if errors.Is(err, io.EOF) {
				return
			}
			if !yield(hdr, err) || err != nil {
				return
			}
		}
	}
}

// ExtractTarGz unpacks the tarball src under dir, refusing entries that
// would land outside it.
func ExtractTarGz(src, dir string) error {
	f, err := os.Open(src)
	if err != nil {
		return err
	}
	defer f.Close()
	gr, err := gzip.NewReader(f)
	if err != nil {
		return fmt.Errorf("%s: %w", src, err)
	}
	defer gr.Close()
	tr := tar.NewReader(gr)
	for hdr, err := range Entries(tr) {
		if err != nil {
			return err
		}
		target, err := safeJoin(dir, hdr.Name)
		if err != nil {
			return err
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			err = os.MkdirAll(target, 0o755)
		case tar.TypeReg:
			err = func() (err error) {
				if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
					return err
				}
				out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, hdr.FileInfo().Mode().Perm())
				if err != nil {
					return err
				}
				defer func() { err = errors.Join(err, out.Close()) }()
				_, err = io.Copy(out, tr)
				return err
			}()
		}
		if err != nil {
			return fmt.Errorf("extract %s: %w", hdr.Name, err)
		}
	}
	return nil
}

// ListTarGz returns the entry names of a tarball.
func ListTarGz(src string) ([]string, error) {
	f, err := os.Open(src)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	defer gr.Close()
	var names []string
	for hdr, err := range Entries(tar.NewReader(gr)) {
		if err != nil {
			return names, err
		}
		names = append(names, hdr.Name)
	}
	return names, nil
}

func safeJoin(dir, name string) (string, error) {
	if !filepath.IsLocal(filepath.FromSlash(name)) {
		return "", fmt.Errorf("archive: unsafe entry name %q", name)
	}
	return filepath.Join(dir, filepath.FromSlash(name)), nil
}
