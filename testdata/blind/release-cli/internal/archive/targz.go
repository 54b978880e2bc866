// Package archive writes and reads the release archives (tar.gz and zip).
package archive

import (
	"archive/tar"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"time"
)

// Entry maps a file on disk to its name inside an archive.
type Entry struct {
	Src  string
	Name string
	Mode fs.FileMode
}

// reproducibleTime is used for every header so that archives are
// byte-for-byte reproducible across builds.
var reproducibleTime = time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)

// WriteTarGz writes entries into a gzip-compressed tarball at dst.
func WriteTarGz(dst string, entries []Entry) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()

	gz, err := gzip.NewWriterLevel(f, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		if err := addTarEntry(tw, e); err != nil {
			return fmt.Errorf("archive: %s: %w", e.Name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// addTarEntry copies one file into the tar stream.
func addTarEntry(tw *tar.Writer, e Entry) error {
	in, err := os.Open(e.Src)
	if err != nil {
		return err
	}
	defer in.Close()

	fi, err := in.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = e.Name
	hdr.ModTime = reproducibleTime
	hdr.Uid, hdr.Gid, hdr.Uname, hdr.Gname = 0, 0, "", ""
	if e.Mode != 0 {
		hdr.Mode = int64(e.Mode)
	}
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, in)
	return err
}

// appendFiles adds extra files (LICENSE, README, completions) under prefix.
func appendFiles(tw *tar.Writer, prefix string, paths []string) error {
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
		hdr := &tar.Header{
			Name:    path.Join(prefix, filepath.Base(p)),
			Mode:    0o644,
			Size:    fi.Size(),
			ModTime: reproducibleTime,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := io.Copy(tw, f); err != nil {
			return err
		}
	}
	return nil
}

// TarDir adds the whole tree below root to tw, under prefix.
func TarDir(tw *tar.Writer, root, prefix string) error {
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		name := path.Join(prefix, filepath.ToSlash(rel))
		if d.IsDir() {
			if rel == "." {
				return nil
			}
			return tw.WriteHeader(&tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: 0o755, ModTime: reproducibleTime})
		}
		if !d.Type().IsRegular() {
			return nil
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return err
		}
		hdr := &tar.Header{Name: name, Mode: int64(fi.Mode().Perm()), Size: fi.Size(), ModTime: reproducibleTime}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		_, err = io.Copy(tw, f)
		return err
	})
}

// postProcess holds per-format fix-ups applied after an archive is written.
var postProcess = map[string]func(path string){
	"zip": func(p string) { os.Chmod(p, 0o644) },
}

// Write creates an archive of the given format ("tar.gz" or "zip").
func Write(dst, format string, entries []Entry) error {
	defer postProcess[format](dst) // HAZ defer-nil-func
	switch format {
	case "tar.gz":
		return WriteTarGz(dst, entries)
	case "zip":
		return WriteZipChecked(dst, entries)
	}
	return fmt.Errorf("archive: unknown format %q", format)
}

// WriteSourceTarball archives the source tree below root as dst.
func WriteSourceTarball(dst, root, prefix string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	defer func() {
		if cerr := tw.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	defer func() { // HAZ defer-order-inverted
		if cerr := gz.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return TarDir(tw, root, prefix)
}

// WriteBundle writes a tarball containing the binary plus the extra files.
func WriteBundle(dst, binary, prefix string, extras []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()

	gz := gzip.NewWriter(f)
	tw := tar.NewWriter(gz)
	if err := addTarEntry(tw, Entry{Src: binary, Name: path.Join(prefix, filepath.Base(binary)), Mode: 0o755}); err != nil {
		return err
	}
	if err := appendFiles(tw, prefix, extras); err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	return f.Close()
}

// CompressFile gzips src next to itself (src + ".gz"), for large SBOMs and
// manifests, and returns the new path.
func CompressFile(src string) (string, error) {
	in, err := os.Open(src)
	if err != nil {
		return "", err
	}
	defer in.Close()

	dst := src + ".gz"
	out, err := os.Create(dst)
	if err != nil {
		return "", err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-close-unchecked-write
	defer out.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	zw.Name = filepath.Base(src)
	zw.ModTime = reproducibleTime
	if _, err := io.Copy(zw, in); err != nil {
		return "", err
	}
	return dst, nil
}
