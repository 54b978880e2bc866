// Package restore extracts snapshot archives, locally or after fetching them
// from the object store.
package restore

import (
	"archive/tar"
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/backupsched/internal/trace"
)

// Getter downloads objects.
type Getter interface {
	Get(ctx context.Context, key string) ([]byte, error)
}

// Extract unpacks the .tar.gz archive at archivePath under dest and returns
// the number of files written. Entries that would land outside dest are
// rejected.
func Extract(archivePath, dest string) (n int, err error) {
	f, err := os.Open(archivePath)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return 0, fmt.Errorf("%s: %w", archivePath, err)
	}
	defer zr.Close()
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return n, fmt.Errorf("%s: %w", archivePath, err)
		}
		target, err := safeJoin(dest, hdr.Name)
		if err != nil {
			return n, err
		}
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return n, err
			}
		case tar.TypeReg:
			if err := writeFile(target, tr, hdr.FileInfo().Mode().Perm()); err != nil {
				return n, err
			}
			n++
		}
	}
}

// safeJoin joins name to dest and refuses results outside dest.
func safeJoin(dest, name string) (string, error) {
	p := filepath.Join(dest, filepath.FromSlash(name))
	if p != filepath.Clean(dest) && !strings.HasPrefix(p, filepath.Clean(dest)+string(filepath.Separator)) {
		return "", fmt.Errorf("entry %q escapes %s", name, dest)
	}
	return p, nil
}

// writeFile copies r into a new file at path; a failed close is reported.
func writeFile(path string, r io.Reader, perm os.FileMode) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}()
	_, err = io.Copy(f, r)
	return err
}

// Fetch downloads key into the file dst.
func Fetch(ctx context.Context, store Getter, key, dst string) error {
	data, err := store.Get(ctx, key)
	if err != nil {
		return err
	}
	defer trace.Mark("fetched %s (%d bytes) into %s", key, len(data), dst)
	return os.WriteFile(dst, data, 0o600)
}

// Check reads an archive end to end and reports whether it decompresses and
// its checksum matches wantSum. A corrupt archive must not bring the caller
// down.
func Check(path, wantSum string) (ok bool) {
	defer recover() // HAZ recover-ineffective
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	h := sha256.New()
	zr, err := gzip.NewReader(io.TeeReader(f, h))
	if err != nil {
		return false
	}
	tr := tar.NewReader(zr)
	for {
		if _, err := tr.Next(); err != nil {
			if !errors.Is(err, io.EOF) {
				return false
			}
			break
		}
		if _, err := io.Copy(io.Discard, tr); err != nil {
			return false
		}
	}
	io.Copy(io.Discard, f) // the checksum covers trailing bytes too
	return hex.EncodeToString(h.Sum(nil)) == wantSum
}

// Options controls Run.
type Options struct {
	Archive  string
	Dest     string
	Progress bool
	Log      *log.Logger
}

// Run extracts opts.Archive into opts.Dest, optionally logging progress.
func Run(opts Options) (int, error) {
	stopProgress := func() {}
	defer stopProgress() // HAZ defer-eager-evaluation
	if opts.Progress {
		stopProgress = startProgress(opts.Log, opts.Dest)
	}
	n, err := Extract(opts.Archive, opts.Dest)
	if err != nil {
		return n, fmt.Errorf("restore %s: %w", opts.Archive, err)
	}
	return n, nil
}

// startProgress logs the size of dest every few seconds until the returned
// function is called.
func startProgress(logger *log.Logger, dest string) (stop func()) {
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(5 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-t.C:
				logger.Printf("restoring into %s: %d MiB so far", dest, dirSize(dest)>>20)
			}
		}
	}()
	return func() { close(done) }
}

func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d os.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}

// ListArchive returns the names of the entries in a .tar.gz archive.
func ListArchive(path string) ([]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	var names []string
	tr := tar.NewReader(zr)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return names, nil
		}
		if err != nil {
			return names, err
		}
		names = append(names, hdr.Name)
	}
}

// ConcatParts joins an archive uploaded in numbered parts (prefix.000,
// prefix.001, ...) into dst.
func ConcatParts(prefix, dst string) (err error) {
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	for i := 0; ; i++ {
		part, err := os.Open(fmt.Sprintf("%s.%03d", prefix, i))
		if errors.Is(err, fs.ErrNotExist) && i > 0 {
			break
		}
		if err != nil {
			return err
		}
		defer part.Close() // HAZ defer-in-loop
		if _, err := io.Copy(out, part); err != nil {
			return err
		}
	}
	return nil
}

// FetchAndExtract downloads key into a temporary file while preparing dest,
// then extracts it.
func FetchAndExtract(ctx context.Context, store Getter, key, dest string) (int, error) {
	tmp := filepath.Join(os.TempDir(), "restore-"+filepath.Base(key))
	errc := make(chan error)
	go func() { errc <- Fetch(ctx, store, key, tmp) }() // HAZ goroutine-blocked-send
	if err := os.MkdirAll(dest, 0o755); err != nil {
		return 0, err
	}
	if err := <-errc; err != nil {
		return 0, err
	}
	defer os.Remove(tmp)
	return Extract(tmp, dest)
}

// VerifyRemote downloads key to a temporary file and checks it against
// wantSum.
func VerifyRemote(ctx context.Context, store Getter, key, wantSum string) error {
	name := filepath.Join(os.TempDir(), fmt.Sprintf("verify-%d-%s", os.Getpid(), filepath.Base(key)))
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("removing %s: %w", name, err)
		}
		return nil
	}()
	if err := Fetch(ctx, store, key, name); err != nil {
		return err
	}
	if !Check(name, wantSum) {
		return fmt.Errorf("%s: checksum mismatch", key)
	}
	return nil
}
