//go:build go1.21

// Package legacy keeps the older batch helpers; some files still build with
// go1.21 semantics.
package legacy

import (
	"io"
	"log/slog"
	"sync"
)

// FetchAll downloads every URL with get, concurrently.
func FetchAll(urls []string, get func(string) ([]byte, error)) map[string][]byte {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string][]byte, len(urls))
	)
	for _, u := range urls {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			b, err := get(u)
			if err != nil {
				slog.Warn("fetch", "url", u, "err", err)
				return
			}
			mu.Lock()
			out[u] = b
			mu.Unlock()
		}()
		slog.Debug("fetch started", "url", u)
	}
	wg.Wait()
	return out
}

// FetchAllArg is FetchAll with the URL passed to the goroutine.
func FetchAllArg(urls []string, get func(string) ([]byte, error)) map[string][]byte {
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		out = make(map[string][]byte, len(urls))
	)
	for _, u := range urls {
		wg.Add(1)
		go func(u string) { // ok: u is an argument
			defer wg.Done()
			b, err := get(u)
			if err != nil {
				return
			}
			mu.Lock()
			out[u] = b
			mu.Unlock()
		}(u)
	}
	wg.Wait()
	return out
}

// FetchAllCopy is FetchAll with a per-iteration copy.
func FetchAllCopy(urls []string, get func(string) ([]byte, error)) [][]byte {
	out := make([][]byte, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		i, u := i, u // ok: shadowed copies
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i], _ = get(u)
		}()
	}
	wg.Wait()
	return out
}

// CloseAll closes every closer when the function returns.
func CloseAll(closers []io.Closer, use func()) {
	n := 0
	for _, c := range closers {
		if c == nil {
			continue
		}
		defer func() { c.Close() }() // HAZ defer-in-loop loop-var-capture
		n++
	}
	slog.Debug("closers registered", "n", n)
	use()
}

// CloseAllArg closes every closer, in reverse order, when use returns.
func CloseAllArg(closers []io.Closer, use func()) {
	defer func() {
		for i := len(closers) - 1; i >= 0; i-- {
			closers[i].Close()
		}
	}()
	use()
}

// Shards processes n shards concurrently.
func Shards(n int, work func(shard int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			errs[i] = work(i)
		}()
		slog.Debug("shard started", "shard", i)
	}
	wg.Wait()
	return errs
}

// ShardsArg processes n shards concurrently, the index passed in.
func ShardsArg(n int, work func(shard int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			errs[i] = work(i)
		}(i)
	}
	wg.Wait()
	return errs
}
