package writes

import (
	"bufio"
	"compress/gzip"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
)

// Read-only files: a close error loses nothing.
func readOnly(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func openFileReadOnly(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

func openFileZeroFlags(path string) ([]byte, error) {
	f, err := os.OpenFile(path, 0, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// The success path closes again and returns the error.
func checkedReturnClose(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Close()
}

func checkedIfClose(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("closing %s: %w", path, err)
	}
	return nil
}

func checkedSync(path string, data []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	err = f.Sync()
	return err
}

// The recommended fix: join the close error into the named result.
func joinedIntoResult(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = f.Write(data)
	return err
}

func checkedInClosure(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = f.Write(data)
	return err
}

func loggedInClosure(path string, data []byte) {
	f, err := os.Create(path)
	if err != nil {
		log.Print(err)
		return
	}
	defer func() {
		if err := f.Close(); err != nil {
			log.Printf("close %s: %v", path, err)
		}
	}()
	f.Write(data)
}

func bufferedFlushChecked(w io.Writer, lines []string) error {
	bw := bufio.NewWriter(w)
	defer bw.Flush()
	for _, l := range lines {
		if _, err := bw.WriteString(l); err != nil {
			return err
		}
	}
	return bw.Flush()
}

func gzipCloseChecked(w io.Writer, data []byte) error {
	zw := gzip.NewWriter(w)
	defer zw.Close()
	if _, err := zw.Write(data); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	return nil
}

func csvErrorChecked(w io.Writer, rows [][]string) error {
	cw := csv.NewWriter(w)
	defer cw.Flush()
	for _, r := range rows {
		if err := cw.Write(r); err != nil {
			return err
		}
	}
	cw.Flush()
	return cw.Error()
}

// Readers wrap nothing that is written.
func gzipReader(r io.Reader) ([]byte, error) {
	zr, err := gzip.NewReader(r)
	if err != nil {
		return nil, err
	}
	defer zr.Close()
	return io.ReadAll(zr)
}

func bufferedReader(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	br := bufio.NewReader(f)
	return br.ReadString('\n')
}

// No defer at all: closed explicitly and checked.
func explicitClose(path string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := f.WriteString("x"); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// A defer inside a function literal belongs to the literal: this one is checked there.
func literalOwnsDefer(paths []string) error {
	for _, p := range paths {
		err := func() error {
			f, err := os.Create(p)
			if err != nil {
				return err
			}
			defer f.Close()
			if _, err := f.WriteString(p); err != nil {
				return err
			}
			return f.Close()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// A deferred Close of something that is not written (a parameter of unknown origin).
func closesParameter(c io.Closer) {
	defer c.Close()
}

// Created but never written through: nothing can be lost at close.
func createdOnly(dir string) (string, error) {
	f, err := os.CreateTemp(dir, "lock-*")
	if err != nil {
		return "", err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return "", err
	}
	return fi.Name(), nil
}

// Closed in a deferred literal only when the function fails: the data is discarded anyway.
func cleanupOnFailure(path string, data []byte) (f *os.File, err error) {
	f, err = os.Create(path)
	if err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			f.Close()
			os.Remove(path)
		}
	}()
	_, err = f.Write(data)
	return f, err
}

// A scratch file deleted when the function returns: it is read back through the same descriptor.
func scratchFile(r io.Reader) (int64, error) {
	f, err := os.CreateTemp("", "spool-")
	if err != nil {
		return 0, err
	}
	defer os.Remove(f.Name())
	defer f.Close()
	n, err := io.Copy(f, r)
	if err != nil {
		return 0, err
	}
	if _, err := f.Seek(0, io.SeekStart); err != nil {
		return 0, err
	}
	return n, nil
}

// Opened for writing (a lock file) but only read: nothing written can be lost at close.
func readLocked(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}
