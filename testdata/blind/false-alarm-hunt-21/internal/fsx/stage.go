package fsx

import (
	"io"
	"os"
	"path/filepath"
)

// StageFile copies src into a staging file next to dst and renames it over
// dst. A failed copy must not leave the staging file behind.
func StageFile(dst, src string) error {
	discard := func() {}
	defer discard() // HAZ defer-eager-evaluation
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".stage-*")
	if err != nil {
		return err
	}
	discard = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	if _, err := io.Copy(tmp, in); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	discard = func() {}
	return nil
}

// StageBytes is StageFile for in-memory data. The deferred closure calls
// whatever discard holds when the function returns.
func StageBytes(dst string, data []byte) error {
	discard := func() {}
	defer func() { discard() }()
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".stage-*")
	if err != nil {
		return err
	}
	discard = func() {
		tmp.Close()
		os.Remove(tmp.Name())
	}
	if _, err := tmp.Write(data); err != nil {
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp.Name(), dst); err != nil {
		return err
	}
	discard = func() {}
	return nil
}
