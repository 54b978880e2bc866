package archive

import (
	"context"
	"io/fs"
	"path/filepath"
	"sync"
	"time"
)

// FileEntry is a regular file found while scanning a target.
type FileEntry struct {
	Path    string
	Size    int64
	ModTime time.Time
}

// Scan walks all roots concurrently and returns every regular file found. It
// stops at the first error.
func Scan(ctx context.Context, roots []string) ([]FileEntry, error) {
	ctx, cancel := context.WithCancel(ctx)
	out := make(chan FileEntry)
	defer close(out) // HAZ defer-close-chan-with-sender
	defer cancel()
	errc := make(chan error, len(roots))
	for _, root := range roots {
		go func() { errc <- walkRoot(ctx, root, out) }()
	}
	var files []FileEntry
	for pending := len(roots); pending > 0; {
		select {
		case fe := <-out:
			files = append(files, fe)
		case err := <-errc:
			pending--
			if err != nil {
				return nil, err
			}
		}
	}
	return files, nil
}

// walkRoot sends every regular file under root on out until ctx is done.
func walkRoot(ctx context.Context, root string, out chan<- FileEntry) error {
	return filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		select {
		case out <- FileEntry{Path: path, Size: info.Size(), ModTime: info.ModTime()}:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

// Stream walks root in the background. The entry channel is closed when the
// walk ends; the walk's result is then available on the error channel.
func Stream(ctx context.Context, root string) (<-chan FileEntry, <-chan error) {
	out := make(chan FileEntry)
	errc := make(chan error, 1)
	go func() {
		defer close(out)
		errc <- walkRoot(ctx, root, out)
	}()
	return out, errc
}

// TotalSize returns the summed size of the regular files under roots, walking
// the roots concurrently.
func TotalSize(ctx context.Context, roots []string) (int64, error) {
	type result struct {
		n   int64
		err error
	}
	results := make(chan result)
	var wg sync.WaitGroup
	for _, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var r result
			r.err = filepath.WalkDir(root, func(_ string, d fs.DirEntry, err error) error {
				if err != nil || !d.Type().IsRegular() {
					return err
				}
				info, err := d.Info()
				if err == nil {
					r.n += info.Size()
				}
				return err
			})
			results <- r
		}()
	}
	go func() {
		wg.Wait()
		close(results)
	}()
	var total int64
	var firstErr error
	for r := range results {
		total += r.n
		if r.err != nil && firstErr == nil {
			firstErr = r.err
		}
	}
	return total, firstErr
}

// ScanInto walks every root concurrently, sends the files on out and closes
// out once all walkers have finished. It is meant to run in its own goroutine
// feeding a consumer.
func ScanInto(ctx context.Context, roots []string, out chan<- FileEntry) error {
	defer close(out)
	errs := make([]error, len(roots))
	var wg sync.WaitGroup
	for i, root := range roots {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = walkRoot(ctx, root, out)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
