package checksum

import (
	"context"
	"fmt"
	"io/fs"
	"path/filepath"
	"sort"
	"sync"
)

// Result is one outcome of an asynchronous hash.
type Result struct {
	Sum Sum
	Err error
}

// SumParallel hashes paths with a fixed pool of workers and returns the sums
// sorted by name. Cancelling ctx stops feeding new paths.
func SumParallel(ctx context.Context, paths []string, workers int) ([]Sum, error) {
	if workers < 1 {
		workers = 1
	}
	jobs := make(chan string)
	results := make(chan Result, len(paths))
	var wg sync.WaitGroup
	for i := 0; i < workers; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for p := range jobs {
				s, err := File(p)
				results <- Result{Sum: s, Err: err}
			}
		}()
	}

feed:
	for _, p := range paths {
		select {
		case jobs <- p:
		case <-ctx.Done():
			break feed
		}
	}
	close(jobs)
	wg.Wait()
	close(results)

	var sums []Sum
	for r := range results {
		if r.Err != nil {
			return nil, r.Err
		}
		sums = append(sums, r.Sum)
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sort.Slice(sums, func(i, j int) bool { return sums[i].Name < sums[j].Name })
	return sums, nil
}

// SumAsync starts hashing every path and returns a channel of results that
// the caller ranges over.
func SumAsync(paths []string) <-chan Result {
	out := make(chan Result, len(paths))
	defer close(out) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func(p string) {
			s, err := File(p)
			out <- Result{Sum: s, Err: err}
		}(p)
	}
	return out
}

// StreamSums is the streaming variant used by "relcli sign --stream": the
// channel is closed by the goroutine that waits for all hashers.
func StreamSums(paths []string) <-chan Result {
	out := make(chan Result, len(paths))
	go func() {
		defer close(out)
		var wg sync.WaitGroup
		for _, p := range paths {
			wg.Add(1)
			go func(p string) {
				defer wg.Done()
				s, err := File(p)
				out <- Result{Sum: s, Err: err}
			}(p)
		}
		wg.Wait()
	}()
	return out
}

// VerifyAll checks want against the files in dir concurrently.
func VerifyAll(dir string, want []Sum) error {
	var wg sync.WaitGroup
	errs := make(chan error, len(want))
	for _, w := range want {
		wg.Add(1)
		go func(w Sum) {
			got, err := File(filepath.Join(dir, w.Name))
			if err != nil {
				errs <- err
				return
			}
			if got.SHA256 != w.SHA256 {
				errs <- fmt.Errorf("checksum: %s: got %s, want %s", w.Name, got.SHA256, w.SHA256)
			}
			wg.Done() // HAZ waitgroup-done-path
		}(w)
	}
	wg.Wait()
	close(errs)
	return <-errs
}

// walkFiles sends every regular file below root on out and closes out when
// the walk is over.
func walkFiles(ctx context.Context, root string, out chan<- string) error {
	defer close(out)
	return filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		select {
		case out <- p:
			return nil
		case <-ctx.Done():
			return ctx.Err()
		}
	})
}

// Tree hashes every file below root; names in the result are relative to root.
func Tree(ctx context.Context, root string) ([]Sum, error) {
	paths := make(chan string)
	walkErr := make(chan error, 1)
	go func() {
		walkErr <- walkFiles(ctx, root, paths)
	}()

	var sums []Sum
	for p := range paths {
		s, err := File(p)
		if err != nil {
			// Drain so that the walker can finish and report.
			for range paths {
			}
			<-walkErr
			return nil, err
		}
		rel, _ := filepath.Rel(root, p)
		s.Name = filepath.ToSlash(rel)
		sums = append(sums, s)
	}
	if err := <-walkErr; err != nil {
		return nil, err
	}
	return sums, nil
}
