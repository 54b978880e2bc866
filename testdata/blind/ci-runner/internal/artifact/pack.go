// Package artifact packs job outputs into tar.gz archives and uploads them
// to the artifact store.
package artifact

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// Collect expands glob patterns relative to root into a sorted list of
// regular files, as paths relative to root.
func Collect(root string, patterns []string) ([]string, error) {
	seen := make(map[string]bool)
	var out []string
	for _, pat := range patterns {
		matches, err := filepath.Glob(filepath.Join(root, pat))
		if err != nil {
			return nil, fmt.Errorf("pattern %q: %w", pat, err)
		}
		for _, m := range matches {
			info, err := os.Lstat(m)
			if err != nil || !info.Mode().IsRegular() {
				continue
			}
			rel, err := filepath.Rel(root, m)
			if err != nil {
				return nil, err
			}
			if !seen[rel] {
				seen[rel] = true
				out = append(out, rel)
			}
		}
	}
	sort.Strings(out)
	return out, nil
}

// Pack writes files (relative to root) to w as a gzip-compressed tar stream.
// The tar and gzip trailers are written and checked before returning.
func Pack(w io.Writer, root string, files []string) error {
	gz := gzip.NewWriter(w)
	tw := tar.NewWriter(gz)
	for _, rel := range files {
		if err := addFile(tw, root, rel); err != nil {
			return fmt.Errorf("add %s: %w", rel, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

func addFile(tw *tar.Writer, root, rel string) error {
	f, err := os.Open(filepath.Join(root, rel))
	if err != nil {
		return err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(info, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.ToSlash(rel)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// PackFile writes the archive to dst. A partially written archive is
// removed.
func PackFile(dst, root string, files []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(dst)
		}
	}()
	bw := bufio.NewWriterSize(f, 256<<10)
	if err := Pack(bw, root, files); err != nil {
		return err
	}
	return bw.Flush()
}

// PackDir archives the whole tree below src into dst (used to keep the
// workspace of a failed job for debugging).
func PackDir(src, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	gz := gzip.NewWriter(f)
	defer gz.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	tw := tar.NewWriter(gz)
	err = filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		return addFile(tw, src, rel)
	})
	if err != nil {
		return err
	}
	return tw.Close()
}
