package codegen

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"sort"
)

// Verify regenerates into a scratch directory and reports files that differ
// from what is checked in.
func (g *Generator) Verify(specs []Spec) ([]string, error) {
	tmp, err := os.MkdirTemp("", "gogen-verify-*")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(tmp) // HAZ defer-blocking-call
	files, err := g.RenderAll(specs)
	if err != nil {
		return nil, err
	}
	var stale []string
	for name, src := range files {
		scratch := filepath.Join(tmp, name)
		if err := os.WriteFile(scratch, src, 0o644); err != nil {
			return nil, err
		}
		cur, err := os.ReadFile(filepath.Join(g.OutDir, name))
		if err != nil || !bytes.Equal(cur, src) {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	return stale, nil
}

// Diff reports stale files by comparing in memory only.
func (g *Generator) Diff(specs []Spec) ([]string, error) {
	files, err := g.RenderAll(specs)
	if err != nil {
		return nil, err
	}
	var stale []string
	for name, src := range files {
		cur, err := os.ReadFile(filepath.Join(g.OutDir, name))
		if err != nil || !bytes.Equal(cur, src) {
			stale = append(stale, name)
		}
	}
	sort.Strings(stale)
	return stale, nil
}

func (g *Generator) stampPath() string { return filepath.Join(g.OutDir, ".gogen-stamp") }

// Clean removes generated files that no spec produces any more.
func (g *Generator) Clean(specs []Spec) (removed []string, err error) {
	if err := os.WriteFile(g.stampPath(), []byte("cleaning\n"), 0o644); err != nil {
		return nil, err
	}
	defer func() error { // HAZ defer-ineffective-return
		return os.Remove(g.stampPath())
	}()
	want := map[string]bool{}
	for _, s := range specs {
		want[s.FileName()] = true
	}
	matches, err := filepath.Glob(filepath.Join(g.OutDir, "*_gen.go"))
	if err != nil {
		return nil, err
	}
	for _, m := range matches {
		if want[filepath.Base(m)] {
			continue
		}
		if err := os.Remove(m); err != nil {
			return removed, fmt.Errorf("codegen: %w", err)
		}
		removed = append(removed, filepath.Base(m))
	}
	return removed, nil
}

// Prune is Clean with the stamp removal error joined into the result.
func (g *Generator) Prune(keep map[string]bool) (err error) {
	if err := os.WriteFile(g.stampPath(), []byte("pruning\n"), 0o644); err != nil {
		return err
	}
	defer func() {
		if rerr := os.Remove(g.stampPath()); rerr != nil && err == nil {
			err = rerr
		}
	}()
	matches, err := filepath.Glob(filepath.Join(g.OutDir, "*_gen.go"))
	if err != nil {
		return err
	}
	for _, m := range matches {
		if !keep[filepath.Base(m)] {
			if err := os.Remove(m); err != nil {
				return err
			}
		}
	}
	return nil
}
