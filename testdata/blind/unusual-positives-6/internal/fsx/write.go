package fsx

import (
	"errors"
	"io"
	"os"
	"path/filepath"
)

// CreateIn creates (or truncates) name inside dir, creating dir if needed.
// The caller owns the returned file and must check its Close.
func CreateIn(dir, name string) (*os.File, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	return os.Create(filepath.Join(dir, name))
}

// OpenAppend opens path for appending and returns it with a release function
// that syncs and closes it and reports the first failure.
func OpenAppend(path string) (*os.File, func() error, error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return nil, nil, err
	}
	release := func() error {
		return errors.Join(f.Sync(), f.Close())
	}
	return f, release, nil
}

// WriteFileMode writes data to path, creating it with perm if needed.
func WriteFileMode(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write

	_, err = f.Write(data)
	return err
}

// CopyFile copies the contents of src into dst, replacing dst.
func CopyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()

	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer out.Close()

	if _, err := io.Copy(out, in); err != nil {
		return err
	}
	return out.Close()
}

// ReadHeader returns up to n leading bytes of the file at path.
func ReadHeader(path string, n int) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()

	buf := make([]byte, n)
	k, err := io.ReadFull(f, buf)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		err = nil
	}
	return buf[:k], err
}
