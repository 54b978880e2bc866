// Package fsutil holds the file helpers shared by the generators: atomic
// replacement of outputs, manifests, checksums and small state files.
package fsutil

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
)

// WriteFile atomically replaces path with data.
func WriteFile(path string, data []byte, perm fs.FileMode) error {
	return WriteWith(path, perm, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteWith streams fill's output into a temporary file next to path, then
// syncs, closes and renames it over path. Readers never see a partial file.
func WriteWith(path string, perm fs.FileMode, fill func(io.Writer) error) (err error) {
	dir, base := filepath.Split(path)
	if dir == "" {
		dir = "."
	}
	tmp, err := os.CreateTemp(dir, "."+base+".tmp-*")
	if err != nil {
		return fmt.Errorf("create temp for %s: %w", path, err)
	}
	defer func() {
		if err == nil {
			return
		}
		tmp.Close()
		os.Remove(tmp.Name())
	}()
	bw := bufio.NewWriter(tmp)
	if err = fill(bw); err != nil {
		return err
	}
	if err = bw.Flush(); err != nil {
		return err
	}
	if err = tmp.Chmod(perm); err != nil {
		return err
	}
	if err = tmp.Sync(); err != nil {
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// CopyFile copies src to dst atomically, keeping the permission bits.
func CopyFile(dst, src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	info, err := in.Stat()
	if err != nil {
		return err
	}
	return WriteWith(dst, info.Mode().Perm(), func(w io.Writer) error {
		_, err := io.Copy(w, in)
		return err
	})
}

// AppendLog appends one line to the run log at path. Write and close errors
// are both reported.
func AppendLog(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = fmt.Fprintln(f, line)
	return err
}

// WriteManifest writes one generated path per line. The deferred Close only
// covers the early returns; the success path closes and checks explicitly.
func WriteManifest(path string, entries []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close()
	w := bufio.NewWriter(f)
	for _, e := range entries {
		if _, err := fmt.Fprintln(w, e); err != nil {
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// WriteChecksums writes "sum  name" lines in the format of sha256sum -c.
func WriteChecksums(path string, sums map[string]string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, name := range slices.Sorted(maps.Keys(sums)) {
		if _, err := fmt.Fprintf(f, "%s  %s\n", sums[name], name); err != nil {
			return err
		}
	}
	return nil
}

// WriteState overwrites a small state file in place and makes it durable.
// Sync reports the write-back errors that Close would otherwise surface.
func WriteState(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// ReadJSON decodes the JSON document at path into v, rejecting unknown fields.
func ReadJSON(path string, v any) error {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	dec := json.NewDecoder(bufio.NewReader(f))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

// ReadFirst returns the contents of name from the first of dirs that has it,
// together with the path it was read from.
func ReadFirst(name string, dirs []string) ([]byte, string, error) {
	var f *os.File
	for _, dir := range dirs {
		var err error
		f, err = os.Open(filepath.Join(dir, name))
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, "", err
		}
	}
	if f == nil {
		return nil, "", fmt.Errorf("%s not found in %v", name, dirs)
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	return data, f.Name(), err
}

// ReadNewest returns the contents of whichever of a and b was modified
// last; a must exist, b is optional.
func ReadNewest(a, b string) ([]byte, error) {
	f, err := os.Open(a)
	if err != nil {
		return nil, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	fi, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if bi, err := os.Stat(b); err == nil && bi.ModTime().After(fi.ModTime()) {
		f, err = os.Open(b)
		if err != nil {
			return nil, err
		}
	}
	return io.ReadAll(f)
}
