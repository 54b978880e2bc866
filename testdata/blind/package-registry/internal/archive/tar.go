package archive

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// VerifyTarGz checks an npm-style package tarball: gzip framing, tar
// headers, only regular files and directories under "package/", and size
// limits. It returns the file names.
func VerifyTarGz(path string, lim Limits) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return nil, fmt.Errorf("archive: %s: %w", path, err)
	}
	defer gz.Close()

	tr := tar.NewReader(gz)
	var names []string
	var total int64
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("archive: %s: %w", path, err)
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			continue
		case tar.TypeReg:
		default:
			return nil, fmt.Errorf("archive: %s: unsupported entry type %q", hdr.Name, hdr.Typeflag)
		}
		if err := checkName(hdr.Name, "package/"); err != nil {
			return nil, err
		}
		n, err := io.Copy(io.Discard, io.LimitReader(tr, lim.MaxFileSize+1))
		if err != nil {
			return nil, fmt.Errorf("archive: read %s: %w", hdr.Name, err)
		}
		if n > lim.MaxFileSize {
			return nil, fmt.Errorf("archive: %s exceeds %d bytes", hdr.Name, lim.MaxFileSize)
		}
		if total += n; total > lim.MaxTotal {
			return nil, fmt.Errorf("archive: %s: uncompressed size exceeds %d bytes", path, lim.MaxTotal)
		}
		names = append(names, hdr.Name)
		if len(names) > lim.MaxFiles {
			return nil, fmt.Errorf("archive: %s: more than %d files", path, lim.MaxFiles)
		}
	}
	return names, nil
}

// WriteTarGz writes files as a gzip-compressed tarball at dst. The npm
// mirror uses it to repack tarballs after stripping install scripts.
func WriteTarGz(dst string, files []File) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	gz := gzip.NewWriter(f)
	defer gz.Close() // HAZ defer-order-inverted defer-close-unchecked-write
	defer f.Close()  // HAZ defer-close-unchecked-write
	tw := tar.NewWriter(gz)
	epoch := time.Unix(0, 0)
	for _, file := range files {
		hdr := &tar.Header{
			Name:     "package/" + file.Name,
			Mode:     file.Mode,
			Size:     int64(len(file.Data)),
			ModTime:  epoch,
			Typeflag: tar.TypeReg,
		}
		if err := tw.WriteHeader(hdr); err != nil {
			return err
		}
		if _, err := tw.Write(file.Data); err != nil {
			return err
		}
	}
	return tw.Close()
}

// SnapshotTarGz writes a tarball of every regular file under dir, used for
// store backups. The deferred closes only matter on error paths; the success
// path closes each layer in order and checks it.
func SnapshotTarGz(dir, dst string) error {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer f.Close()
	gz := gzip.NewWriter(f)
	defer gz.Close()
	tw := tar.NewWriter(gz)
	defer tw.Close()

	err = filepath.WalkDir(dir, func(path string, de fs.DirEntry, werr error) error {
		if werr != nil || !de.Type().IsRegular() {
			return werr
		}
		rel, err := filepath.Rel(dir, path)
		if err != nil {
			return err
		}
		return addFile(tw, path, filepath.ToSlash(rel))
	})
	if err != nil {
		return err
	}
	if err := tw.Close(); err != nil {
		return err
	}
	if err := gz.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// addFile appends the file at path to tw under name.
func addFile(tw *tar.Writer, path, name string) error {
	src, err := os.Open(path)
	if err != nil {
		return err
	}
	defer src.Close()
	fi, err := src.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(fi, "")
	if err != nil {
		return err
	}
	hdr.Name = name
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, src)
	return err
}
