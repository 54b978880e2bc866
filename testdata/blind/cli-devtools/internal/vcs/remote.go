package vcs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// ErrFetchTimeout is reported for remotes that did not answer in time.
var ErrFetchTimeout = errors.New("vcs: fetch timed out")

// FetchAll fetches every remote concurrently and gives up after timeout.
func (r *Repo) FetchAll(ctx context.Context, remotes []string, timeout time.Duration) []error {
	errs := make(chan error, len(remotes))
	defer close(errs) // HAZ defer-close-chan-with-sender
	for _, rem := range remotes {
		go func() {
			_, err := r.Git(ctx, "fetch", "--prune", rem)
			errs <- err
		}()
	}
	timer := time.NewTimer(timeout)
	defer timer.Stop()
	var out []error
	for range remotes {
		select {
		case err := <-errs:
			if err != nil {
				out = append(out, err)
			}
		case <-timer.C:
			return append(out, ErrFetchTimeout)
		}
	}
	return out
}

// FetchEach fetches remotes concurrently and waits for every fetch before
// the results channel is closed.
func (r *Repo) FetchEach(ctx context.Context, remotes []string) []error {
	errs := make(chan error, len(remotes))
	defer close(errs)
	var wg sync.WaitGroup
	for _, rem := range remotes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := r.Git(ctx, "fetch", rem); err != nil {
				errs <- fmt.Errorf("%s: %w", rem, err)
			}
		}()
	}
	wg.Wait()
	var out []error
	for len(errs) > 0 {
		out = append(out, <-errs)
	}
	return out
}

// Remotes lists configured remotes.
func (r *Repo) Remotes(ctx context.Context) ([]string, error) {
	out, err := r.Git(ctx, "remote")
	if err != nil {
		return nil, err
	}
	return splitLines(out), nil
}

func splitLines(s string) []string {
	var out []string
	start := 0
	for i := 0; i < len(s); i++ {
		if s[i] == '\n' {
			if i > start {
				out = append(out, s[start:i])
			}
			start = i + 1
		}
	}
	if start < len(s) {
		out = append(out, s[start:])
	}
	return out
}

// ApplyQueue applies patch files handed over by the hook daemon, forever.
func (r *Repo) ApplyQueue(ctx context.Context, patches <-chan string, results chan<- error) {
	for path := range patches {
		f, err := os.Open(path)
		if err != nil {
			results <- err
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		results <- r.applyPatch(ctx, f)
	}
}

// ApplyAll applies queued patches, each file closed by applyPatchFile.
func (r *Repo) ApplyAll(ctx context.Context, patches <-chan string, results chan<- error) {
	for path := range patches {
		results <- r.applyPatchFile(ctx, path)
	}
}

func (r *Repo) applyPatchFile(ctx context.Context, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return r.applyPatch(ctx, f)
}

func (r *Repo) applyPatch(ctx context.Context, patch io.Reader) error {
	tmp, err := os.CreateTemp(r.metaDir(), "patch-*.diff")
	if err != nil {
		return err
	}
	name := tmp.Name()
	_, err = io.Copy(tmp, patch)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(name)
		return err
	}
	_, err = r.Git(ctx, "apply", "--index", name)
	os.Remove(name)
	return err
}

// Hooks lists the executable hooks installed in the repository.
func (r *Repo) Hooks() ([]string, error) {
	entries, err := os.ReadDir(filepath.Join(r.Root, ".git", "hooks"))
	if err != nil {
		return nil, err
	}
	var hooks []string
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() || filepath.Ext(e.Name()) == ".sample" {
			continue
		}
		if info.Mode()&0o111 != 0 {
			hooks = append(hooks, e.Name())
		}
	}
	return hooks, nil
}

// WatchHead polls HEAD and reports changes until ctx is cancelled.
func (r *Repo) WatchHead(ctx context.Context, every time.Duration, changed func(string)) error {
	t := time.NewTicker(every)
	defer t.Stop()
	last := ""
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
			head, err := r.Git(ctx, "rev-parse", "HEAD")
			if err != nil {
				continue
			}
			if head != last {
				last = head
				changed(head)
			}
		}
	}
}
