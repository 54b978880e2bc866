//go:build go1.21

// Scheduling helpers carried over from the 1.x SDK. Downstream forks still
// build this file with the go1.21 language version, so it keeps to it.

package multipart

import (
	"context"
	"io"
	"log"
	"sort"
	"sync"
)

// Debug enables scheduling logs.
var Debug = false

// PrefetchRanges reads every part of r into memory concurrently.
func PrefetchRanges(r io.ReaderAt, parts []Part) ([][]byte, error) {
	out := make([][]byte, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			buf := make([]byte, p.Size)
			_, err := r.ReadAt(buf, p.Offset)
			out[i], errs[i] = buf, err
		}()
		if Debug {
			log.Printf("multipart: prefetching %s", p)
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != io.EOF {
			return nil, err
		}
	}
	return out, nil
}

// PrefetchRangesCopied is PrefetchRanges with per-iteration copies, correct
// under every language version.
func PrefetchRangesCopied(r io.ReaderAt, parts []Part) ([][]byte, error) {
	out := make([][]byte, len(parts))
	errs := make([]error, len(parts))
	var wg sync.WaitGroup
	for i, p := range parts {
		i, p := i, p
		wg.Add(1)
		go func() {
			defer wg.Done()
			buf := make([]byte, p.Size)
			_, err := r.ReadAt(buf, p.Offset)
			out[i], errs[i] = buf, err
		}()
		if Debug {
			log.Printf("multipart: prefetching %s", p)
		}
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil && err != io.EOF {
			return nil, err
		}
	}
	return out, nil
}

// RetryFailed re-sends the failed parts, each in its own goroutine, and
// returns the new error of each part number.
func (u *Uploader) RetryFailed(ctx context.Context, key, uploadID string, r io.ReaderAt, failed map[int]Part) map[int]error {
	var mu sync.Mutex
	errs := make(map[int]error, len(failed))
	var wg sync.WaitGroup
	for n, p := range failed {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			_, err := u.copyPartPooled(ctx, key, uploadID, r, p)
			mu.Lock()
			errs[n] = err
			mu.Unlock()
		}()
		if Debug {
			log.Printf("multipart: retrying part %d", n)
		}
	}
	wg.Wait()
	return errs
}

// RetryFailedArgs re-sends the failed parts, passing each part to its
// goroutine as an argument.
func (u *Uploader) RetryFailedArgs(ctx context.Context, key, uploadID string, r io.ReaderAt, failed map[int]Part) map[int]error {
	var mu sync.Mutex
	errs := make(map[int]error, len(failed))
	var wg sync.WaitGroup
	for n, p := range failed {
		wg.Add(1)
		go func(n int, p Part) {
			defer wg.Done()
			_, err := u.copyPartPooled(ctx, key, uploadID, r, p)
			mu.Lock()
			errs[n] = err
			mu.Unlock()
		}(n, p)
		if Debug {
			log.Printf("multipart: retrying part %d", n)
		}
	}
	wg.Wait()
	return errs
}

// LargestFirst orders parts so the biggest are sent first; the closures
// here run synchronously inside the loop.
func LargestFirst(parts []Part) []Part {
	out := make([]Part, len(parts))
	copy(out, parts)
	sort.SliceStable(out, func(i, j int) bool { return out[i].Size > out[j].Size })
	for i, p := range out {
		check := func() bool { return p.Size > 0 && p.Number > 0 }
		if !check() {
			log.Printf("multipart: suspicious part at %d: %s", i, p)
		}
	}
	return out
}
