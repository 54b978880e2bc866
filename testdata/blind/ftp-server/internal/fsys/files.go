package fsys

import (
	"bufio"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"path/filepath"
)

var (
	// ErrTooLarge is returned when an upload passes its size limit.
	ErrTooLarge = errors.New("fsys: upload too large")
	// ErrIsDir is returned when a directory is opened for download.
	ErrIsDir = errors.New("fsys: is a directory")
)

// Store writes r to path through a temporary file in the same directory,
// fsyncs it and renames it into place, so that readers never see a
// half-written file. At most limit bytes are accepted (limit <= 0: none).
func Store(path string, r io.Reader, limit int64) (n int64, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return 0, err
	}
	tmp := f.Name()
	defer func() {
		if err != nil {
			os.Remove(tmp)
		}
	}()

	src := r
	if limit > 0 {
		src = io.LimitReader(r, limit+1)
	}
	bw := bufio.NewWriterSize(f, 64<<10)
	n, err = io.Copy(bw, src)
	if err == nil && limit > 0 && n > limit {
		err = ErrTooLarge
	}
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return n, err
	}
	return n, os.Rename(tmp, path)
}

// Append copies r to the end of path (APPE), creating it if needed.
func Append(path string, r io.Reader) (n int64, err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	n, err = io.Copy(f, r)
	if err != nil {
		return n, err
	}
	return n, f.Sync()
}

// WriteAt writes r into path starting at off (REST followed by STOR),
// keeping whatever the file already holds before off.
func WriteAt(path string, off int64, r io.Reader) (int64, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE, 0o644)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	if _, err := f.Seek(off, io.SeekStart); err != nil {
		return 0, err
	}
	n, err := io.Copy(f, r)
	if err != nil {
		return n, err
	}
	if err := f.Truncate(off + n); err != nil {
		return n, err
	}
	if err := f.Sync(); err != nil {
		return n, err
	}
	return n, f.Close()
}

// OpenForRead opens a file for download positioned at off and returns the
// number of bytes left to send. The caller closes the file.
func OpenForRead(path string, off int64) (*os.File, int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, 0, err
	}
	fi, err := f.Stat()
	if err != nil {
		f.Close()
		return nil, 0, err
	}
	if fi.IsDir() {
		f.Close()
		return nil, 0, ErrIsDir
	}
	if off > 0 {
		if _, err := f.Seek(off, io.SeekStart); err != nil {
			f.Close()
			return nil, 0, err
		}
	}
	return f, max(fi.Size()-off, 0), nil
}

// SHA256File hashes a file's content.
func SHA256File(path string) (string, error) {
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
