package archive

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// Spool stages blobs in a scratch directory before they are renamed into the
// published cache directory.
type Spool struct {
	dir   string
	final string
	tries int
}

// NewSpool returns a spool staging in dir and publishing into final.
func NewSpool(dir, final string) *Spool {
	return &Spool{dir: dir, final: final, tries: 3}
}

// Commit writes data to a part file and renames it into place, rewriting the
// part file when a write fails (a full scratch disk often frees up quickly).
func (s *Spool) Commit(name string, data []byte) error {
	tmp := filepath.Join(s.dir, name+".part")
	attempt := 0
retry:
	f, err := os.Create(tmp)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	if _, err := f.Write(data); err != nil {
		attempt++
		if attempt < s.tries {
			time.Sleep(100 * time.Millisecond)
			goto retry
		}
		return err
	}
	return os.Rename(tmp, filepath.Join(s.final, name))
}

// CommitSynced is Commit with the file synced and its close checked before
// the rename; the retry loop wraps a helper so no defer is left behind.
func (s *Spool) CommitSynced(name string, data []byte) error {
	tmp := filepath.Join(s.dir, name+".part")
	attempt := 0
retry:
	err := writeFileSynced(tmp, data)
	if err != nil {
		attempt++
		if attempt < s.tries {
			time.Sleep(100 * time.Millisecond)
			goto retry
		}
		return err
	}
	return os.Rename(tmp, filepath.Join(s.final, name))
}

func writeFileSynced(path string, data []byte) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if _, err = f.Write(data); err != nil {
		return err
	}
	return f.Sync()
}

// ReadBack reads a published blob, retrying while a concurrent commit is
// still renaming it into place. Each attempt closes its own file.
func (s *Spool) ReadBack(name string) ([]byte, error) {
	attempt := 0
again:
	data, err := func() ([]byte, error) {
		f, err := os.Open(filepath.Join(s.final, name))
		if err != nil {
			return nil, err
		}
		defer f.Close()
		return io.ReadAll(f)
	}()
	if errors.Is(err, fs.ErrNotExist) && attempt < 5 {
		attempt++
		time.Sleep(20 * time.Millisecond)
		goto again
	}
	return data, err
}

// Manifest loads the published manifest, waiting briefly for a publisher
// that is still writing it. The defer is reached once, after the retry loop.
func (s *Spool) Manifest() (*Snapshot, error) {
	attempt := 0
retry:
	f, err := os.Open(filepath.Join(s.final, "manifest.csv"))
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) && attempt < s.tries {
			attempt++
			time.Sleep(50 * time.Millisecond)
			goto retry
		}
		return nil, err
	}
	defer f.Close()
	return decode(f)
}

// MergeParts concatenates the numbered part files of an upload into dst.
func MergeParts(dst io.Writer, dir string, parts int) error {
	for i := range parts {
		f, err := os.Open(filepath.Join(dir, fmt.Sprintf("part-%04d", i)))
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if _, err := io.Copy(dst, f); err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
	}
	return nil
}

// MergePartsTo is MergeParts with one closure per part, so each part file is
// closed before the next is opened.
func MergePartsTo(dst io.Writer, dir string, parts int) error {
	for i := range parts {
		err := func() error {
			f, err := os.Open(filepath.Join(dir, fmt.Sprintf("part-%04d", i)))
			if err != nil {
				return err
			}
			defer f.Close()
			_, err = io.Copy(dst, f)
			return err
		}()
		if err != nil {
			return fmt.Errorf("part %d: %w", i, err)
		}
	}
	return nil
}
