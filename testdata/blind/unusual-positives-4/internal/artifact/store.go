// Package artifact stores and moves build outputs: a local directory store,
// an HTTP store, and archive helpers.
package artifact

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"time"
)

// Store is where build outputs go.
type Store interface {
	Put(ctx context.Context, name string, r io.Reader) error
	Get(ctx context.Context, name string) (io.ReadCloser, error)
}

// FSStore is a Store backed by a local directory.
type FSStore struct {
	root string
}

// NewFSStore creates root if needed.
func NewFSStore(root string) (*FSStore, error) {
	if err := os.MkdirAll(root, 0o755); err != nil {
		return nil, err
	}
	return &FSStore{root: root}, nil
}

func (st *FSStore) path(name string) string { return filepath.Join(st.root, filepath.FromSlash(name)) }

// Put writes r atomically under name.
func (st *FSStore) Put(ctx context.Context, name string, r io.Reader) (err error) {
	dst := st.path(name)
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(dst), ".put-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			os.Remove(tmp.Name())
		}
	}()
	if _, err = io.Copy(tmp, r); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err = tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), dst)
}

// Get opens name for reading.
func (st *FSStore) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	return os.Open(st.path(name))
}

// Stage copies an artifact into stagingDir, removing the partial copy if the
// copy fails.
func (st *FSStore) Stage(name, stagingDir string) (err error) {
	rollback := func() {}
	defer rollback() // HAZ defer-eager-evaluation
	dst := filepath.Join(stagingDir, filepath.FromSlash(name))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	rollback = func() {
		if err != nil {
			os.Remove(dst)
		}
	}
	return copyPath(st.path(name), dst)
}

// copyPath copies the file src to dst.
func copyPath(src, dst string) (err error) {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, out.Close()) }()
	_, err = io.Copy(out, in)
	return err
}

type dirLock struct {
	f *os.File
}

func (st *FSStore) lock() (*dirLock, error) {
	f, err := os.OpenFile(filepath.Join(st.root, ".lock"), os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("artifact: store %s is busy: %w", st.root, err)
	}
	return &dirLock{f: f}, nil
}

func (l *dirLock) release() error {
	return errors.Join(l.f.Close(), os.Remove(l.f.Name()))
}

// Prune removes top-level artifacts older than maxAge.
func (st *FSStore) Prune(maxAge time.Duration) error {
	var err error
	lk, err := st.lock()
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := lk.release(); rerr != nil {
			err = rerr
		}
	}()
	entries, err := os.ReadDir(st.root)
	if err != nil {
		return err
	}
	cutoff := time.Now().Add(-maxAge)
	var errs []error
	for _, e := range entries {
		if e.IsDir() || e.Name() == ".lock" {
			continue
		}
		info, ierr := e.Info()
		if ierr != nil {
			errs = append(errs, ierr)
			continue
		}
		if info.ModTime().Before(cutoff) {
			errs = append(errs, os.Remove(filepath.Join(st.root, e.Name())))
		}
	}
	return errors.Join(errs...)
}

// Compact removes empty subdirectories left behind by Prune.
func (st *FSStore) Compact() (err error) {
	lk, err := st.lock()
	if err != nil {
		return err
	}
	defer func() {
		if rerr := lk.release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	entries, err := os.ReadDir(st.root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if !e.IsDir() {
			continue
		}
		sub := filepath.Join(st.root, e.Name())
		if rest, rerr := os.ReadDir(sub); rerr == nil && len(rest) == 0 {
			if err := os.Remove(sub); err != nil {
				return err
			}
		}
	}
	return nil
}

// HTTPStore is a Store backed by a remote cache speaking plain HTTP.
type HTTPStore struct {
	base   string
	client *http.Client
}

// NewHTTPStore returns a store rooted at base.
func NewHTTPStore(base string, timeout time.Duration) *HTTPStore {
	return &HTTPStore{base: base, client: &http.Client{Timeout: timeout}}
}

func (st *HTTPStore) url(name string) string { return st.base + "/" + url.PathEscape(name) }

// Put uploads r.
func (st *HTTPStore) Put(ctx context.Context, name string, r io.Reader) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPut, st.url(name), r)
	if err != nil {
		return err
	}
	resp, err := st.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("artifact: PUT %s: %s", name, resp.Status)
	}
	return nil
}

// Get downloads name; the caller closes the body.
func (st *HTTPStore) Get(ctx context.Context, name string) (io.ReadCloser, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, st.url(name), nil)
	if err != nil {
		return nil, err
	}
	resp, err := st.client.Do(req)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode == http.StatusNotFound {
		resp.Body.Close()
		return nil, fs.ErrNotExist
	}
	if resp.StatusCode != http.StatusOK {
		resp.Body.Close()
		return nil, fmt.Errorf("artifact: GET %s: %s", name, resp.Status)
	}
	return resp.Body, nil
}

// Exists asks the remote whether name is present.
func (st *HTTPStore) Exists(ctx context.Context, name string) (bool, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, st.url(name), nil)
	if err != nil {
		return false, err
	}
	resp, err := st.client.Do(req)
	if err != nil {
		return false, err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusOK:
		return true, nil
	case http.StatusNotFound:
		return false, nil
	}
	return false, fmt.Errorf("artifact: HEAD %s: %s", name, resp.Status)
}

// Copy moves one artifact from src to dst.
func Copy(ctx context.Context, dst, src Store, name string) error {
	rc, err := src.Get(ctx, name)
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("artifact: copy %s: %w", name, err)
	}
	return dst.Put(ctx, name, rc)
}

// Mirror copies every name from src to dst, one at a time.
func Mirror(ctx context.Context, dst, src Store, names []string) error {
	for _, name := range names {
		if err := func() error {
			rc, err := src.Get(ctx, name)
			if err != nil {
				return err
			}
			defer rc.Close()
			return dst.Put(ctx, name, rc)
		}(); err != nil {
			return fmt.Errorf("artifact: mirror %s: %w", name, err)
		}
	}
	return nil
}
