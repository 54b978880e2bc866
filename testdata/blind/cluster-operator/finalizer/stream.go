package finalizer

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ArchiveStream is the streaming archiver used before ArchiveTo; both
// layers are closed and their errors reported.
func ArchiveStream(w io.Writer, dir string) (err error) {
	zw := gzip.NewWriter(w)
	tw := tar.NewWriter(zw)
	defer func() { err = errors.Join(err, tw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, zw.Close()) }()
	return addTree(tw, dir)
}

// CleanupVerified archives dir, checks the archive and only then removes
// the storage. Errors are annotated with the key on the way out.
func (c *Cleaner) CleanupVerified(key, dir, dst string) error {
	var err error
	defer func() { // HAZ defer-ineffective-return
		if err != nil {
			err = fmt.Errorf("finalizer: verified cleanup of %s: %w", key, err)
		}
	}()
	if err = Archive(dir, dst); err != nil {
		return err
	}
	if _, err = VerifyArchive(dst); err != nil {
		return err
	}
	err = os.RemoveAll(dir)
	return err
}

// CleanupAnnotated is CleanupVerified with the annotation applied to the
// named result.
func (c *Cleaner) CleanupAnnotated(key, dir, dst string) (err error) {
	defer func() {
		if err != nil {
			err = fmt.Errorf("finalizer: verified cleanup of %s: %w", key, err)
		}
	}()
	if err := Archive(dir, dst); err != nil {
		return err
	}
	if _, err := VerifyArchive(dst); err != nil {
		return err
	}
	return os.RemoveAll(dir)
}

// snapshotTo copies dir into a temporary archive next to dst and renames
// it into place, so that readers never see a half-written archive.
func snapshotTo(dir, dst string) error {
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".snapshot-*.tar.gz")
	defer os.Remove(tmp.Name()) // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if err := ArchiveTo(tmp, dir); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// pruneArchives removes archives older than keep generations from dir,
// reporting the first removal error.
func pruneArchives(dir string, keep int) error {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	var archives []string
	for _, e := range entries {
		if e.Type().IsRegular() && filepath.Ext(e.Name()) == ".gz" {
			archives = append(archives, filepath.Join(dir, e.Name()))
		}
	}
	lock := filepath.Join(dir, ".prune.lock")
	if err := os.WriteFile(lock, nil, 0o600); err != nil {
		return err
	}
	defer func() error { // HAZ defer-ineffective-return
		if err := os.Remove(lock); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return fmt.Errorf("finalizer: removing %s: %w", lock, err)
		}
		return nil
	}()
	for len(archives) > keep {
		if err := os.Remove(archives[0]); err != nil {
			return err
		}
		archives = archives[1:]
	}
	return nil
}
