package querylog

import (
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
)

// AppendBatch appends preformatted lines to path. It is used for the
// blocked-query audit file, which is written rarely and by other tools too.
func AppendBatch(path string, lines []string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o640)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := io.WriteString(f, l+"\n"); err != nil {
			return err
		}
	}
	return nil
}

// compressSegment gzips a rotated segment next to itself and removes the
// original.
func compressSegment(src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(out)
	defer zw.Close()  // HAZ defer-order-inverted defer-close-unchecked-write
	defer out.Close() // HAZ defer-close-unchecked-write
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return os.Remove(src)
}

// CompressFile gzips src into dst and reports every write error,
// including the ones that only surface when the files are closed.
func CompressFile(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); err == nil {
			err = cerr
		}
	}()
	zw := gzip.NewWriter(out)
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	return zw.Close()
}

// pruneSegments removes the oldest rotated segments beyond keep.
func pruneSegments(dir, base string, keep int) error {
	if keep <= 0 {
		return nil
	}
	matches, err := filepath.Glob(filepath.Join(dir, base+"-*.log*"))
	if err != nil {
		return err
	}
	sort.Strings(matches)
	var errs []error
	for len(matches) > keep {
		if err := os.Remove(matches[0]); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
		matches = matches[1:]
	}
	return errors.Join(errs...)
}
