// Package fsx writes files so that write errors, which often only surface
// when a file is flushed or closed, reach the caller.
package fsx

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// WriteJSON writes v as indented JSON to path.
func WriteJSON(path string, v any) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// WriteJSONAtomic writes v to a temporary file next to path and renames it
// into place, so readers never see a partial document.
func WriteJSONAtomic(path string, v any) (err error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	defer func() { err = errors.Join(err, tmp.Close()) }()
	enc := json.NewEncoder(tmp)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	if err := tmp.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// WriteFileSync writes data to path and syncs it. The deferred close covers
// the early returns; the success path checks the close.
func WriteFileSync(path string, data []byte, perm os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Write(data); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return f.Close()
}

// AppendLine appends line and a newline to the file at path.
func AppendLine(path, line string) (err error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_APPEND, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	_, err = io.WriteString(f, line+"\n")
	return err
}

// ReadJSON decodes the JSON file at path into v.
func ReadJSON(path string, v any) error {
	f, err := os.OpenFile(path, os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	return json.NewDecoder(f).Decode(v)
}

// CopyFile copies src to dst, creating or truncating dst.
func CopyFile(dst, src string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, st.Mode().Perm())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(out, in)
	return err
}

// SameContent reports whether the small files a and b hold the same bytes.
func SameContent(a, b string) (bool, error) {
	da, err := os.ReadFile(a)
	if err != nil {
		return false, err
	}
	db, err := os.ReadFile(b)
	if err != nil {
		return false, err
	}
	return string(da) == string(db), nil
}

// ReadJSONFallback decodes the JSON file primary into v, or fallback when
// primary is missing or empty.
func ReadJSONFallback(primary, fallback string, v any) error {
	f, err := os.Open(primary)
	if errors.Is(err, fs.ErrNotExist) {
		f, err = os.Open(fallback)
	}
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 {
		f, err = os.Open(fallback)
		if err != nil {
			return err
		}
	}
	return json.NewDecoder(f).Decode(v)
}
