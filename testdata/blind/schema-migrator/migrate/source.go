package migrate

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync"
)

// maxScriptSize bounds a single script; anything larger is a data load, not a
// schema migration.
const maxScriptSize = 8 << 20

// Source supplies migrations.
type Source interface {
	Load() ([]Migration, error)
}

// DirSource reads migrations from a directory on disk.
type DirSource struct {
	Dir string
}

// Load reads every *.sql file of the directory.
func (s DirSource) Load() ([]Migration, error) {
	entries, err := os.ReadDir(s.Dir)
	if err != nil {
		return nil, err
	}
	var files []fileEntry
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".sql") {
			continue
		}
		version, label, dir, err := ParseFilename(e.Name())
		if err != nil {
			return nil, err
		}
		path := filepath.Join(s.Dir, e.Name())
		f, err := os.Open(path)
		if err != nil {
			return nil, err
		}
		defer f.Close() // HAZ defer-in-loop
		body, err := io.ReadAll(io.LimitReader(f, maxScriptSize))
		if err != nil {
			return nil, fmt.Errorf("migrate: read %s: %w", path, err)
		}
		files = append(files, fileEntry{version, label, dir, string(body), path})
	}
	return assemble(files)
}

// GlobSource reads the files matching a pattern such as
// "services/*/migrations/*.sql".
type GlobSource struct {
	Pattern string
}

// Load reads the matching files in name order.
func (s GlobSource) Load() ([]Migration, error) {
	paths, err := filepath.Glob(s.Pattern)
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	files := make([]fileEntry, 0, len(paths))
	for _, path := range paths {
		version, label, dir, err := ParseFilename(filepath.Base(path))
		if err != nil {
			return nil, err
		}
		body, err := func() ([]byte, error) {
			f, err := os.Open(path)
			if err != nil {
				return nil, err
			}
			defer f.Close()
			return io.ReadAll(io.LimitReader(f, maxScriptSize))
		}()
		if err != nil {
			return nil, fmt.Errorf("migrate: read %s: %w", path, err)
		}
		files = append(files, fileEntry{version, label, dir, string(body), path})
	}
	return assemble(files)
}

// FSSource reads migrations from any fs.FS, e.g. an embed.FS.
type FSSource struct {
	FS   fs.FS
	Root string
	Name string
}

// Load walks the file system below Root.
func (s FSSource) Load() ([]Migration, error) {
	root := s.Root
	if root == "" {
		root = "."
	}
	var files []fileEntry
	err := fs.WalkDir(s.FS, root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".sql") {
			return nil
		}
		version, label, dir, err := ParseFilename(d.Name())
		if err != nil {
			return err
		}
		body, err := fs.ReadFile(s.FS, path)
		if err != nil {
			return err
		}
		files = append(files, fileEntry{version, label, dir, string(body), s.Name + ":" + path})
		return nil
	})
	if err != nil {
		return nil, err
	}
	return assemble(files)
}

//go:embed sql/*.sql
var embedded embed.FS

// Embedded returns the migrations compiled into the binary.
func Embedded() (Source, error) {
	sub, err := fs.Sub(embedded, "sql")
	if err != nil {
		return nil, err
	}
	return FSSource{FS: sub, Name: "embedded"}, nil
}

// ReadScript reads one ad-hoc script file, e.g. for "migrator exec".
func ReadScript(path string) (string, error) {
	f, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer f.Close()
	var b strings.Builder
	if _, err := io.Copy(&b, io.LimitReader(f, maxScriptSize)); err != nil {
		return "", err
	}
	return b.String(), nil
}

// Stream loads every source concurrently and sends the migrations on out as
// they are read. out is closed when Stream returns.
func Stream(sources []Source, out chan<- Migration) error {
	defer close(out) // HAZ defer-close-chan-with-sender
	errc := make(chan error, len(sources))
	for _, src := range sources {
		go func(src Source) {
			ms, err := src.Load()
			if err != nil {
				errc <- err
				return
			}
			for _, m := range ms {
				out <- m
			}
			errc <- nil
		}(src)
	}
	for range sources {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// Collect loads every source concurrently and merges the results.
func Collect(sources []Source) ([]Migration, error) {
	type result struct {
		ms  []Migration
		err error
	}
	results := make(chan result, len(sources))
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Add(1)
		go func(src Source) {
			defer wg.Done()
			ms, err := src.Load()
			results <- result{ms, err}
		}(src)
	}
	wg.Wait()
	close(results)

	var all []Migration
	var errs []error
	for r := range results {
		if r.err != nil {
			errs = append(errs, r.err)
			continue
		}
		all = append(all, r.ms...)
	}
	if err := errors.Join(errs...); err != nil {
		return nil, err
	}
	return dedupe(all)
}

// Each streams the migrations of src in version order. The migration
// channel is closed when everything was sent or ctx ended; the error channel
// then carries exactly one value.
func Each(ctx context.Context, src Source) (<-chan Migration, <-chan error) {
	out := make(chan Migration)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		ms, err := src.Load()
		if err != nil {
			errc <- err
			return
		}
		for _, m := range ms {
			select {
			case out <- m:
			case <-ctx.Done():
				errc <- ctx.Err()
				return
			}
		}
		errc <- nil
	}()
	return out, errc
}
