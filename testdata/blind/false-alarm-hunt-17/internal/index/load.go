package index

import (
	"fmt"
	"iter"
	"os"

	"example.com/fah17/internal/iterx"
)

// LoadAll reads every JSON entry file produced by paths.
func (ix *Index) LoadAll(paths iter.Seq[string]) error {
	for p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close() // HAZ defer-in-loop
		if err := ix.load(f); err != nil {
			return fmt.Errorf("index: %s: %w", p, err)
		}
	}
	return nil
}

// LoadFiles is LoadAll for large path sets: each file is closed before the
// next one is opened.
func (ix *Index) LoadFiles(paths iter.Seq[string]) error {
	for f, err := range iterx.Opened(paths) {
		if err != nil {
			return err
		}
		if err := ix.load(f); err != nil {
			return fmt.Errorf("index: %s: %w", f.Name(), err)
		}
	}
	return nil
}

// LoadDir reads every *.json file under dir.
func (ix *Index) LoadDir(dir string) error {
	for p, err := range iterx.Files(dir, ".json") {
		if err != nil {
			return err
		}
		if err := ix.loadFile(p); err != nil {
			return err
		}
	}
	return nil
}

func (ix *Index) loadFile(p string) error {
	f, err := os.Open(p)
	if err != nil {
		return err
	}
	defer f.Close()
	if err := ix.load(f); err != nil {
		return fmt.Errorf("index: %s: %w", p, err)
	}
	return nil
}

// Reload replaces the whole index with the entries read from paths. The
// index is left unchanged when any file fails to load.
func (ix *Index) Reload(paths []string) error {
	fresh := New(ix.logger, nil)
	for _, p := range paths {
		err := func() error {
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer f.Close()
			return fresh.load(f)
		}()
		if err != nil {
			return fmt.Errorf("index: reload %s: %w", p, err)
		}
	}
	defer ix.writeLock()()
	ix.entries = fresh.entries
	return nil
}
