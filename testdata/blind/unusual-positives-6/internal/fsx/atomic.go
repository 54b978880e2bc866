// Package fsx contains file helpers: atomic replacement, write helpers and
// release functions for files opened for appending.
package fsx

import (
	"encoding/json"
	"os"
	"path/filepath"
)

// AtomicFile is a temporary file that replaces its target on Commit. It
// embeds *os.File, so Write, Name, Sync and Close are promoted.
type AtomicFile struct {
	*os.File
	target string
	done   bool
}

// CreateAtomic creates a temporary file next to target.
func CreateAtomic(target string) (*AtomicFile, error) {
	f, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".tmp-*")
	if err != nil {
		return nil, err
	}
	return &AtomicFile{File: f, target: target}, nil
}

// Commit syncs and closes the temporary file, then renames it over the target.
func (a *AtomicFile) Commit() error {
	if err := a.Sync(); err != nil {
		return err
	}
	if err := a.File.Close(); err != nil {
		return err
	}
	if err := os.Rename(a.Name(), a.target); err != nil {
		return err
	}
	a.done = true
	return nil
}

// Abort discards the temporary file unless Commit succeeded. It is meant to
// be deferred right after CreateAtomic.
func (a *AtomicFile) Abort() {
	if a.done {
		return
	}
	a.File.Close()
	os.Remove(a.Name())
}

// WriteJSON atomically replaces target with the indented JSON encoding of v.
func WriteJSON(target string, v any) error {
	af, err := CreateAtomic(target)
	if err != nil {
		return err
	}
	defer af.Abort()

	enc := json.NewEncoder(af)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	return af.Commit()
}
