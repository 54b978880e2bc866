// Package storage stores sources and rendered outputs on local disk and
// mirrors them to a remote HTTP origin.
package storage

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// ErrBadKey is returned for keys that escape the store root.
var ErrBadKey = errors.New("storage: invalid key")

// LocalStore keeps objects as files below Root. Writes are atomic: data goes
// to a temp file in the target directory that is synced and renamed.
type LocalStore struct {
	Root   string
	Mirror string // optional read-only fallback root

	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

// NewLocalStore creates root if needed.
func NewLocalStore(root string) (*LocalStore, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, fmt.Errorf("storage: %w", err)
	}
	return &LocalStore{Root: root, locks: make(map[string]*sync.Mutex)}, nil
}

func (s *LocalStore) path(key string) (string, error) {
	clean := filepath.Clean("/" + key)
	if clean == "/" || strings.Contains(key, "\x00") {
		return "", fmt.Errorf("%w: %q", ErrBadKey, key)
	}
	return filepath.Join(s.Root, clean), nil
}

// lockKey serialises writers of one key. It deliberately returns with the
// per-key mutex held; the caller releases it through the returned func.
func (s *LocalStore) lockKey(key string) (unlock func()) {
	s.mu.Lock()
	m, ok := s.locks[key]
	if !ok {
		m = new(sync.Mutex)
		s.locks[key] = m
	}
	s.mu.Unlock()
	m.Lock()
	return m.Unlock
}

// Put stores r under key and returns the number of bytes written.
func (s *LocalStore) Put(key string, r io.Reader) (n int64, err error) {
	dst, err := s.path(key)
	if err != nil {
		return 0, err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return 0, err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return 0, err
	}
	defer func() {
		if err != nil {
			tmp.Close()
			os.Remove(tmp.Name())
		}
	}()
	n, err = io.Copy(tmp, r)
	if err != nil {
		return n, err
	}
	if err = tmp.Sync(); err != nil {
		return n, err
	}
	if err = tmp.Close(); err != nil {
		return n, err
	}
	unlock := s.lockKey(key)
	defer unlock()
	err = os.Rename(tmp.Name(), dst)
	return n, err
}

// PutFile stores the contents of a local file.
func (s *LocalStore) PutFile(key, path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return s.Put(key, f)
}

// Open opens an object for reading. If it is missing and a mirror is
// configured, the mirror copy is opened instead.
func (s *LocalStore) Open(key string) (*os.File, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.Open(p)
	if errors.Is(err, fs.ErrNotExist) && s.Mirror != "" {
		return os.Open(filepath.Join(s.Mirror, filepath.Clean("/"+key)))
	}
	return f, err
}

// Copy duplicates an object under a new key.
func (s *LocalStore) Copy(srcKey, dstKey string) (err error) {
	srcPath, err := s.path(srcKey)
	if err != nil {
		return err
	}
	dstPath, err := s.path(dstKey)
	if err != nil {
		return err
	}
	in, err := os.Open(srcPath)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dstPath, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

// AppendLog appends encoder log lines to the log object of a job.
func (s *LocalStore) AppendLog(key string, lines []string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	for _, l := range lines {
		if _, err := f.WriteString(l + "\n"); err != nil {
			return err
		}
	}
	return nil
}

// ReadLog returns the log object; the file is opened read-only through
// OpenFile, so the unchecked deferred Close loses nothing.
func (s *LocalStore) ReadLog(key string, limit int64) ([]byte, error) {
	p, err := s.path(key)
	if err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_RDONLY, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, limit))
}

// Checksum returns the hex SHA-256 of an object.
func (s *LocalStore) Checksum(key string) (string, error) {
	f, err := s.Open(key)
	if err != nil {
		return "", err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}

// CopyTo streams an object to w, preferring the mirror when the primary
// copy is an empty placeholder left by an interrupted upload.
func (s *LocalStore) CopyTo(key string, w io.Writer) (int64, error) {
	p, err := s.path(key)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close() // HAZ defer-eager-evaluation
	if st, serr := f.Stat(); serr == nil && st.Size() == 0 && s.Mirror != "" {
		f, err = os.Open(filepath.Join(s.Mirror, filepath.Clean("/"+key)))
		if err != nil {
			return 0, err
		}
	}
	return io.Copy(w, f)
}

// CopyToChecked is CopyTo with the fallback in its own variable, closed by
// its own defer.
func (s *LocalStore) CopyToChecked(key string, w io.Writer) (int64, error) {
	p, err := s.path(key)
	if err != nil {
		return 0, err
	}
	f, err := os.Open(p)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	src := io.Reader(f)
	if st, serr := f.Stat(); serr == nil && st.Size() == 0 && s.Mirror != "" {
		mf, err := os.Open(filepath.Join(s.Mirror, filepath.Clean("/"+key)))
		if err != nil {
			return 0, err
		}
		defer mf.Close()
		src = mf
	}
	return io.Copy(w, src)
}

// Delete removes an object; missing objects are not an error.
func (s *LocalStore) Delete(key string) error {
	p, err := s.path(key)
	if err != nil {
		return err
	}
	unlock := s.lockKey(key)
	defer unlock()
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	return nil
}
