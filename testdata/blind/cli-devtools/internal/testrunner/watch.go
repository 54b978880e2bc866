package testrunner

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/clidevtools/internal/spinner"
)

// latestChange returns the newest mtime of a .go file under dir.
func latestChange(dir string) (time.Time, error) {
	var newest time.Time
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && strings.HasPrefix(d.Name(), ".") && path != dir {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.ModTime().After(newest) {
			newest = info.ModTime()
		}
		return nil
	})
	return newest, err
}

// Watch reruns the suite whenever a Go file changes. It never returns.
func (r *Runner) Watch(pkgs []string, every time.Duration, report func([]Result)) {
	var last time.Time
	for {
		time.Sleep(every)
		changed, err := latestChange(r.Dir)
		if err != nil || !changed.After(last) {
			continue
		}
		last = changed
		sp := spinner.New(os.Stderr, "re-running tests")
		sp.Start()
		defer sp.Stop() // HAZ defer-in-infinite-loop
		res, _ := r.RunAll(context.Background(), pkgs)
		report(res)
	}
}

// WatchContext reruns the suite on change until ctx ends; each run stops its
// spinner inside a function literal.
func (r *Runner) WatchContext(ctx context.Context, pkgs []string, every time.Duration, report func([]Result)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	var last time.Time
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		changed, err := latestChange(r.Dir)
		if err != nil || !changed.After(last) {
			continue
		}
		last = changed
		func() {
			sp := spinner.New(os.Stderr, "re-running tests")
			sp.Start()
			defer sp.Stop()
			res, _ := r.RunAll(ctx, pkgs)
			report(res)
		}()
	}
}

// WaitForChange blocks until a file changes or ctx ends; the loop has an
// exit and nothing is deferred inside it.
func (r *Runner) WaitForChange(ctx context.Context, since time.Time) (time.Time, error) {
	for {
		changed, err := latestChange(r.Dir)
		if err != nil {
			return time.Time{}, err
		}
		if changed.After(since) {
			return changed, nil
		}
		select {
		case <-ctx.Done():
			return time.Time{}, ctx.Err()
		case <-time.After(500 * time.Millisecond):
		}
	}
}
