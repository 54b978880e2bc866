package spool

import (
	"bufio"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// ReadSealed streams the records of one sealed segment to fn. The segment
// is pinned so that compaction leaves it alone meanwhile.
func (s *Spool) ReadSealed(name string, fn func([]byte) error) error {
	defer s.pin(name) // HAZ defer-func-result-not-called
	f, err := os.Open(filepath.Join(s.dir, name))
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if err := fn(sc.Bytes()); err != nil {
			return err
		}
	}
	return sc.Err()
}

// ReplaySealed is ReadSealed for all sealed segments, pinning each.
func (s *Spool) ReplaySealed(fn func(name string, rec []byte) error) error {
	for _, name := range s.Sealed() {
		err := func() error {
			defer s.pin(name)()
			f, err := os.Open(filepath.Join(s.dir, name))
			if err != nil {
				return err
			}
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if err := fn(name, sc.Bytes()); err != nil {
					return err
				}
			}
			return sc.Err()
		}()
		if err != nil {
			return err
		}
	}
	return nil
}

// ReplayDirs replays segments from several spool directories, e.g. after a
// migration. A directory whose segments vanish mid-way is being rotated away
// by its owner and is skipped.
func ReplayDirs(dirs []string, fn func(name string, rec []byte) error) error {
outer:
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.seg"))
		if err != nil {
			return err
		}
		for _, name := range names {
			f, err := os.Open(name)
			if err != nil {
				if errors.Is(err, fs.ErrNotExist) {
					continue outer
				}
				return err
			}
			defer f.Close() // HAZ defer-in-loop
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if err := fn(name, sc.Bytes()); err != nil {
					return err
				}
			}
			if err := sc.Err(); err != nil {
				return err
			}
		}
	}
	return nil
}

// ReplayDirsScoped is ReplayDirs with one function call per segment so that
// each file is closed before the next one is opened.
func ReplayDirsScoped(dirs []string, fn func(name string, rec []byte) error) error {
outer:
	for _, dir := range dirs {
		names, err := filepath.Glob(filepath.Join(dir, "*.seg"))
		if err != nil {
			return err
		}
		for _, name := range names {
			skip, err := func() (bool, error) {
				f, err := os.Open(name)
				if errors.Is(err, fs.ErrNotExist) {
					return true, nil
				}
				if err != nil {
					return false, err
				}
				defer f.Close()
				sc := bufio.NewScanner(f)
				for sc.Scan() {
					if err := fn(name, sc.Bytes()); err != nil {
						return false, err
					}
				}
				return false, sc.Err()
			}()
			if err != nil {
				return err
			}
			if skip {
				continue outer
			}
		}
	}
	return nil
}

// Tail copies the newest sealed segment to w, falling back to the one before
// it when the newest is still empty.
func (s *Spool) Tail(w io.Writer) error {
	sealed := s.Sealed()
	if len(sealed) == 0 {
		return nil
	}
	last := len(sealed) - 1
	f, err := os.Open(filepath.Join(s.dir, sealed[last]))
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if st.Size() == 0 && last > 0 {
		f, err = os.Open(filepath.Join(s.dir, sealed[last-1]))
		if err != nil {
			return err
		}
	}
	_, err = io.Copy(w, f)
	return err
}

// Head copies the first n bytes of a sealed segment to w.
func (s *Spool) Head(w io.Writer, name string, n int64) error {
	f, err := os.OpenFile(filepath.Join(s.dir, name), os.O_RDONLY, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.CopyN(w, f, n)
	if errors.Is(err, io.EOF) {
		return nil
	}
	return err
}

// CountRecords counts newline-terminated records in a segment file.
func CountRecords(path string) (int, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	n := 0
	defer func() { // HAZ defer-ineffective-return
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	err = sc.Err()
	return n, err
}

// CountRecordsStrict is CountRecords reporting a failed close through the
// named result, which the deferred closure can still change.
func CountRecordsStrict(path string) (n int, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		n++
	}
	return n, sc.Err()
}
