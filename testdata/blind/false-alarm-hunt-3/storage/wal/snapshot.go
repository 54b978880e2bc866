package wal

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"
	"time"
)

// SnapshotMeta describes a snapshot file.
type SnapshotMeta struct {
	Index   uint64    `json:"index"`
	Term    uint64    `json:"term"`
	Created time.Time `json:"created"`
	Size    int64     `json:"size"`
}

// SaveSnapshot writes state as a gzip file through a temp file and rename.
// Defers run LIFO: the gzip writer is closed before the file.
func SaveSnapshot(dir string, meta SnapshotMeta, state []byte) (err error) {
	tmp := filepath.Join(dir, fmt.Sprintf(".snap-%d.tmp", meta.Index))
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil && !errors.Is(cerr, os.ErrClosed) {
			err = cerr
		}
		if err != nil {
			os.Remove(tmp)
		}
	}()
	zw := gzip.NewWriter(f)
	defer zw.Close() // ok: closed before f (LIFO), and checked below on success
	hdr, _ := json.Marshal(meta)
	if _, err := zw.Write(append(hdr, '\n')); err != nil {
		return err
	}
	if _, err := zw.Write(state); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := f.Sync(); err != nil {
		return err
	}
	return os.Rename(tmp, filepath.Join(dir, fmt.Sprintf("%020d.snap", meta.Index)))
}

// SaveQuick writes an uncompressed-length-prefixed gzip stream for the
// follower catch-up path.
func SaveQuick(path string, state []byte) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer zw.Close() // HAZ defer-order-inverted
	defer f.Close()
	if _, err := zw.Write(state); err != nil {
		return err
	}
	if err := zw.Flush(); err != nil {
		return err
	}
	return f.Sync()
}

// LoadSnapshot reads a snapshot written by SaveSnapshot.
func LoadSnapshot(path string) (meta SnapshotMeta, state []byte, err error) {
	f, err := os.Open(path)
	if err != nil {
		return meta, nil, err
	}
	defer f.Close() // ok: read-only
	zr, err := gzip.NewReader(f)
	if err != nil {
		return meta, nil, err
	}
	defer zr.Close() // ok: reader side
	br := bufio.NewReader(zr)
	line, err := br.ReadBytes('\n')
	if err != nil {
		return meta, nil, err
	}
	if err := json.Unmarshal(line, &meta); err != nil {
		return meta, nil, err
	}
	state, err = io.ReadAll(br)
	return meta, state, err
}

// Archive bundles files into a tar.gz. The tar writer, gzip writer and file
// are closed in that order, each close checked.
func Archive(out string, files []string) (err error) {
	f, err := os.Create(out)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }()
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }()

	for _, p := range files {
		if err := addFile(tw, p); err != nil { // ok: per-file defer lives in addFile
			return fmt.Errorf("archive %s: %w", p, err)
		}
	}
	return nil
}

// addFile copies one file into the tar stream.
func addFile(tw *tar.Writer, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	hdr, err := tar.FileInfoHeader(st, "")
	if err != nil {
		return err
	}
	hdr.Name = filepath.Base(path)
	if err := tw.WriteHeader(hdr); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// Extract unpacks a tar.gz into dir, one entry per helper call.
func Extract(archive, dir string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		if err := extractOne(tr, filepath.Join(dir, filepath.Base(hdr.Name)), hdr.FileInfo().Mode()); err != nil {
			return err
		}
	}
}

// extractOne writes one entry, reporting the close error.
func extractOne(r io.Reader, path string, mode os.FileMode) (err error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode.Perm())
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, r)
	return err
}

// Retention removes snapshots beyond keep, newest kept.
func Retention(dir string, keep int) (removed int, err error) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.snap"))
	if err != nil {
		return 0, err
	}
	if len(matches) <= keep {
		return 0, nil
	}
	for _, m := range matches[:len(matches)-keep] {
		if err := os.Remove(m); err != nil {
			return removed, err
		}
		removed++
	}
	return removed, nil
}

// restoreHooks are optional per-kind cleanups registered by plugins.
var restoreHooks = map[string]func(){}

// Restore loads a snapshot and runs the plugin cleanup for its kind.
func Restore(path, kind string, apply func([]byte) error) error {
	cleanup := restoreHooks[kind]
	defer cleanup() // HAZ defer-nil-func
	_, state, err := LoadSnapshot(path)
	if err != nil {
		return err
	}
	return apply(state)
}

// RestoreChecked is Restore with the missing-hook case handled.
func RestoreChecked(path, kind string, apply func([]byte) error) error {
	if cleanup, ok := restoreHooks[kind]; ok && cleanup != nil {
		defer cleanup() // ok: only deferred when present
	}
	_, state, err := LoadSnapshot(path)
	if err != nil {
		return err
	}
	return apply(state)
}

// RestoreWithFallback always has a cleanup: a no-op unless a hook exists.
func RestoreWithFallback(path, kind string, apply func([]byte) error) error {
	cleanup := func() {}
	if h := restoreHooks[kind]; h != nil {
		cleanup = h
	}
	defer cleanup() // ok: never nil, and not reassigned after the defer
	_, state, err := LoadSnapshot(path)
	if err != nil {
		return err
	}
	return apply(state)
}

// Verify loads a snapshot and checks its index; the deferred closure adds
// the path to any error.
func Verify(path string, want uint64) error {
	var err error
	defer func() {
		if err != nil {
			err = fmt.Errorf("verify %s: %w", path, err) // HAZ defer-ineffective-return
		}
	}()
	meta, _, err := LoadSnapshot(path)
	if err != nil {
		return err
	}
	if meta.Index != want {
		return fmt.Errorf("snapshot %s has index %d, want %d", path, meta.Index, want)
	}
	return nil
}

// VerifyNamed is Verify with a named result so the wrapping reaches the
// caller, and with panics from a corrupt file converted to errors.
func VerifyNamed(path string, want uint64) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("panic %v", r)
		}
		if err != nil {
			err = fmt.Errorf("verify %s: %w", path, err) // ok: named result
		}
	}()
	meta, _, err := LoadSnapshot(path)
	if err != nil {
		return err
	}
	if meta.Index != want {
		return fmt.Errorf("snapshot has index %d, want %d", meta.Index, want)
	}
	return nil
}

// Describe logs snapshot metadata; the deferred log shows the path and the
// index captured at entry, which do not change.
func Describe(path string, meta SnapshotMeta) {
	defer log.Printf("described %s at index %d", path, meta.Index) // ok: deliberate snapshot of unchanged values
	fmt.Printf("%s: index=%d term=%d size=%d created=%s\n",
		path, meta.Index, meta.Term, meta.Size, meta.Created.Format(time.RFC3339))
}
