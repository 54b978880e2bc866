package checksum

import (
	"context"
	"errors"
	"fmt"
	"iter"
	"os"
	"path/filepath"
	"sync"

	"example.com/filepipeline/internal/walk"
)

// Result is the outcome of hashing one file.
type Result struct {
	Path string
	Sum  Sum
	Size int64
	Err  error
}

// SumStream hashes the paths concurrently and returns their results on a
// channel sized for all of them.
func SumStream(paths []string) <-chan Result {
	out := make(chan Result, len(paths))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			s, n, err := HashFile(p)
			out <- Result{Path: p, Sum: s, Size: n, Err: err}
		}()
	}
	return out
}

// Stream hashes the paths with a fixed number of workers. The returned
// channel is closed after the last result; cancelling ctx stops the workers.
func Stream(ctx context.Context, paths iter.Seq[string], workers int) <-chan Result {
	in := make(chan string)
	out := make(chan Result)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range in {
				s, n, err := HashFile(p)
				select {
				case out <- Result{Path: p, Sum: s, Size: n, Err: err}:
				case <-ctx.Done():
					return
				}
			}
		}()
	}
	go func() {
		defer close(in)
		for p := range paths {
			select {
			case in <- p:
			case <-ctx.Done():
				return
			}
		}
	}()
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// Collect hashes the paths with Stream and gathers the results in order of
// completion.
func Collect(ctx context.Context, paths []string, workers int) ([]Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var results []Result
	seq := func(yield func(string) bool) {
		for _, p := range paths {
			if !yield(p) {
				return
			}
		}
	}
	for r := range Stream(ctx, seq, workers) {
		results = append(results, r)
	}
	return results, ctx.Err()
}

// SumAll hashes the paths concurrently and returns the digests of the ones
// that could be read, plus the joined errors of the others.
func SumAll(paths []string) (map[string]Sum, error) {
	var (
		mu   sync.Mutex
		wg   sync.WaitGroup
		sums = make(map[string]Sum, len(paths))
		errs []error
	)
	for _, p := range paths {
		wg.Add(1)
		go func() {
			s, _, err := HashFile(p)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			sums[p] = s
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return sums, errors.Join(errs...)
}

// HashParallel hashes the paths with at most workers files open at a time
// and returns the results in input order.
func HashParallel(paths []string, workers int) []Result {
	results := make([]Result, len(paths))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			s, n, err := HashFile(p)
			results[i] = Result{Path: p, Sum: s, Size: n, Err: err}
		}()
	}
	wg.Wait()
	return results
}

// Results streams the results of HashParallel on a channel that is closed
// once every worker has finished.
func Results(paths []string, workers int) <-chan Result {
	out := make(chan Result)
	go func() {
		defer close(out)
		for _, r := range HashParallel(paths, workers) {
			out <- r
		}
	}()
	return out
}

// Fanout hashes the paths with one goroutine each and closes out when all
// of them have sent.
func Fanout(paths []string, out chan<- Result) {
	defer close(out)
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			s, n, err := HashFile(p)
			out <- Result{Path: p, Sum: s, Size: n, Err: err}
		}()
	}
	wg.Wait()
}

// SumTree hashes every file under root with one goroutine per top-level
// directory entry.
func SumTree(root string) (m *Manifest, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("checksum: panic while hashing %s: %v", root, p)
		}
	}()
	entries, err := os.ReadDir(root)
	if err != nil {
		return nil, err
	}
	m = NewManifest()
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, e := range entries {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			for path := range walk.Paths(walk.Files(filepath.Join(root, e.Name()))) {
				s, _, err := HashFile(path)
				if err != nil {
					continue
				}
				rel, _ := filepath.Rel(root, path)
				mu.Lock()
				m.Add(rel, s)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	return m, nil
}

// hashDirInto adds every file under dir to m, relative to root.
func hashDirInto(m *Manifest, mu *sync.Mutex, root, dir string) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("checksum: panic while hashing %s: %v", dir, p)
		}
	}()
	for path := range walk.Paths(walk.Files(dir)) {
		s, _, err := HashFile(path)
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		mu.Lock()
		m.Add(rel, s)
		mu.Unlock()
	}
	return nil
}

// SumDirs hashes the given subdirectories of root concurrently. A panic in
// any of them becomes an error of that directory.
func SumDirs(root string, dirs []string) (m *Manifest, err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("checksum: panic: %v", p)
		}
	}()
	m = NewManifest()
	var mu sync.Mutex
	errc := make(chan error, len(dirs))
	for _, d := range dirs {
		go func() {
			errc <- hashDirInto(m, &mu, root, filepath.Join(root, d))
		}()
	}
	var errs []error
	for range dirs {
		errs = append(errs, <-errc)
	}
	return m, errors.Join(errs...)
}
