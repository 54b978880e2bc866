package segment

import (
	"compress/gzip"
	"errors"
	"io"
	"os"
)

// Archive concatenates segments into one gzip file.
func Archive(dst string, segs []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	defer func() { err = errors.Join(err, f.Close()) }() // HAZ defer-order-inverted
	for _, p := range segs {
		if err := appendFile(zw, p); err != nil {
			return err
		}
	}
	return nil
}

// ArchiveTo is Archive with the closes registered in the right order: the
// gzip stream is closed (footer written) before its file.
func ArchiveTo(dst string, segs []string) (err error) {
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	for _, p := range segs {
		if err := appendFile(zw, p); err != nil {
			return err
		}
	}
	return nil
}

func appendFile(w io.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// gzFile is a gzip stream that owns the file under it.
type gzFile struct {
	f  *os.File
	zw *gzip.Writer
}

func createGz(path string) (*gzFile, error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	return &gzFile{f: f, zw: gzip.NewWriter(f)}, nil
}

func (g *gzFile) Write(p []byte) (int, error) { return g.zw.Write(p) }

// Close writes the gzip footer and closes the file.
func (g *gzFile) Close() error { return errors.Join(g.zw.Close(), g.f.Close()) }

// ExportRecords writes the records of the segment src, one per line, to a
// gzip file at dst.
func ExportRecords(dst, src string) error {
	recs, err := ReadAll(src)
	if err != nil {
		return err
	}
	out, err := createGz(dst)
	if err != nil {
		return err
	}
	defer out.Close() // HAZ defer-close-unchecked-write
	for _, r := range recs {
		if _, err := out.Write(append(r, '\n')); err != nil {
			return err
		}
	}
	return nil
}

// ExportRecordsChecked closes the gzip wrapper explicitly on the success
// path; the deferred Close only covers early error returns.
func ExportRecordsChecked(dst, src string) error {
	recs, err := ReadAll(src)
	if err != nil {
		return err
	}
	out, err := createGz(dst)
	if err != nil {
		return err
	}
	defer out.Close()
	for _, r := range recs {
		if _, err := out.Write(append(r, '\n')); err != nil {
			return err
		}
	}
	return out.Close()
}
