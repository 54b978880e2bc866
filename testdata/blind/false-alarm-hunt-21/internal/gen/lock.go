package gen

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// acquireLock creates OutDir/.stubgen.lock exclusively and returns the
// function that removes it.
func (g *Generator) acquireLock() (func() error, error) {
	path := filepath.Join(g.OutDir, ".stubgen.lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return nil, fmt.Errorf("another stubgen run holds %s", path)
		}
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		_ = os.Remove(path)
		return nil, err
	}
	return func() error { return os.Remove(path) }, nil
}

// withLock runs fn, holding the output lock when g.Lock is set.
func (g *Generator) withLock(fn func() error) error {
	var release func() error
	if g.Lock {
		r, err := g.acquireLock()
		if err != nil {
			return err
		}
		release = r
	}
	defer release() // HAZ defer-nil-func
	return fn()
}

// runLocked is withLock for the main run: without g.Lock the release is a
// no-op, and a failed release is reported.
func (g *Generator) runLocked(fn func() error) (err error) {
	release := func() error { return nil }
	if g.Lock {
		if release, err = g.acquireLock(); err != nil {
			return err
		}
	}
	defer func() { err = errors.Join(err, release()) }()
	return fn()
}

// WithLock runs fn under the output lock for plugin commands.
func (g *Generator) WithLock(fn func() error) error {
	return g.withLock(fn)
}

// PruneStale removes outputs listed in the previous manifest that are not
// in keep.
func (g *Generator) PruneStale(keep map[string]bool) error {
	release, err := g.acquireLock()
	if err != nil {
		return err
	}
	defer func() { // HAZ defer-ineffective-return
		if rerr := release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	old, err := readManifest(filepath.Join(g.OutDir, "MANIFEST"))
	if err != nil {
		return err
	}
	for _, name := range old {
		if keep[name] {
			continue
		}
		if err = os.Remove(filepath.Join(g.OutDir, name)); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	return nil
}

// CleanOutputs removes every output of the previous run; the lock release
// error is joined into the named result.
func (g *Generator) CleanOutputs() (err error) {
	release, err := g.acquireLock()
	if err != nil {
		return err
	}
	defer func() {
		if rerr := release(); rerr != nil && err == nil {
			err = rerr
		}
	}()
	old, err := readManifest(filepath.Join(g.OutDir, "MANIFEST"))
	if err != nil {
		return err
	}
	var errs []error
	for _, name := range old {
		if rerr := os.Remove(filepath.Join(g.OutDir, name)); rerr != nil && !errors.Is(rerr, fs.ErrNotExist) {
			errs = append(errs, rerr)
		}
	}
	return errors.Join(errs...)
}
