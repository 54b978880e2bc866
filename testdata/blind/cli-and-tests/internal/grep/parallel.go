package grep

import (
	"context"
	"errors"
	"regexp"
	"sync"
	"time"

	"example.com/clitests/internal/cliutil"
)

func workers(opt Options, n int) int {
	w := opt.Workers
	if w <= 0 {
		w = 4
	}
	return max(1, min(w, n))
}

// SearchAll searches paths concurrently with a fixed pool of workers. The
// result keeps the order of paths.
func SearchAll(ctx context.Context, paths []string, re *regexp.Regexp, opt Options) ([][]Match, error) {
	results := make([][]Match, len(paths))
	errs := make([]error, len(paths))
	idx := make(chan int)
	var wg sync.WaitGroup
	for range workers(opt, len(paths)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range idx {
				results[i], errs[i] = SearchFile(paths[i], re, opt)
			}
		}()
	}
feed:
	for i := range paths {
		select {
		case idx <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(idx)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return results, errors.Join(errs...)
}

// SearchAllSafe is SearchAll for callers that pass user-supplied paths
// and want a panic while searching reported as an error.
func SearchAllSafe(paths []string, re *regexp.Regexp, opt Options) (res [][]Match, err error) {
	defer cliutil.RecoverTo(&err)
	res = make([][]Match, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() { // HAZ goroutine-outside-recover
			defer wg.Done()
			res[i], errs[i] = SearchFile(p, re, opt)
		}()
	}
	wg.Wait()
	return res, errors.Join(errs...)
}

// SearchAllIsolated is like SearchAllSafe, but every goroutine recovers
// its own panic, which is the only place a recover can catch it.
func SearchAllIsolated(paths []string, re *regexp.Regexp, opt Options) ([][]Match, error) {
	res := make([][]Match, len(paths))
	errs := make([]error, len(paths))
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer cliutil.RecoverTo(&errs[i]) // ok: recover in the goroutine itself
			res[i], errs[i] = SearchFile(p, re, opt)
		}()
	}
	wg.Wait()
	return res, errors.Join(errs...)
}

// FirstMatch returns the first match any of the files produces.
func FirstMatch(ctx context.Context, paths []string, re *regexp.Regexp) (Match, bool) {
	found := make(chan Match, len(paths))
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, p := range paths {
		go func() {
			ms, err := SearchFile(p, re, Options{MaxCount: 1})
			if err == nil && len(ms) > 0 {
				found <- ms[0]
			}
		}()
	}
	select {
	case m := <-found:
		return m, true
	case <-ctx.Done():
		return Match{}, false
	}
}

// FirstMatchWait is FirstMatch that lets the losers finish: they never
// block (the channel has room for all) and the channel is closed only by
// the goroutine that waited for every sender.
func FirstMatchWait(ctx context.Context, paths []string, re *regexp.Regexp) (Match, bool) {
	found := make(chan Match, len(paths))
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ms, err := SearchFile(p, re, Options{MaxCount: 1})
			if err == nil && len(ms) > 0 {
				found <- ms[0]
			}
		}()
	}
	go func() {
		wg.Wait()
		close(found) // ok: every sender is done
	}()
	select {
	case m, ok := <-found:
		return m, ok
	case <-ctx.Done():
		return Match{}, false
	}
}

// CountWithTimeout counts matching lines in path, giving up after d.
func CountWithTimeout(path string, re *regexp.Regexp, d time.Duration) (int, error) {
	res := make(chan int)
	go func() { // HAZ goroutine-blocked-send
		n, _ := countFile(path, re)
		res <- n
	}()
	select {
	case n := <-res:
		return n, nil
	case <-time.After(d):
		return 0, ErrTimeout
	}
}

type countResult struct {
	n   int
	err error
}

// CountWithContext counts matching lines in path until ctx ends. The
// result channel has room for the one value, so the goroutine never
// blocks after the caller has gone.
func CountWithContext(ctx context.Context, path string, re *regexp.Regexp) (int, error) {
	res := make(chan countResult, 1)
	go func() {
		n, err := countFile(path, re)
		res <- countResult{n, err} // ok: buffered
	}()
	select {
	case r := <-res:
		return r.n, r.err
	case <-ctx.Done():
		return 0, ctx.Err()
	}
}

// Stream sends every match of every path on the returned channel and
// closes it when all files are done or ctx ends.
func Stream(ctx context.Context, paths []string, re *regexp.Regexp, opt Options) <-chan Match {
	out := make(chan Match)
	go func() {
		defer close(out) // ok: this goroutine is the only sender
		for _, p := range paths {
			ms, err := SearchFile(p, re, opt)
			if err != nil {
				continue
			}
			for _, m := range ms {
				select {
				case out <- m:
				case <-ctx.Done():
					return
				}
			}
		}
	}()
	return out
}
