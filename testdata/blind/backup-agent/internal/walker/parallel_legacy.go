//go:build go1.21

// This file is shared verbatim with the appliance build, whose toolchain is
// pinned to go1.21; keep it free of newer language features.

package walker

import (
	"context"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"sync"
)

// StatResult is the outcome of one Lstat.
type StatResult struct {
	Path string
	Info fs.FileInfo
	Err  error
}

// StatAll stats paths with at most workers concurrent calls. Results keep the
// order of paths.
func StatAll(paths []string, workers int) []StatResult {
	if workers < 1 {
		workers = 1
	}
	results := make([]StatResult, len(paths))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for i, p := range paths {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, p string) {
			defer wg.Done()
			defer func() { <-sem }()
			fi, err := os.Lstat(p)
			results[i] = StatResult{Path: p, Info: fi, Err: err}
		}(i, p)
	}
	wg.Wait()
	return results
}

// DirSizes computes the total size of each directory concurrently, for the
// "largest directories" section of the backup report.
func DirSizes(ctx context.Context, dirs []string, workers int) map[string]int64 {
	var mu sync.Mutex
	sizes := make(map[string]int64, len(dirs))
	sem := make(chan struct{}, workers)
	var wg sync.WaitGroup
	for _, d := range dirs {
		sem <- struct{}{}
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			n := dirSize(d)
			mu.Lock()
			sizes[d] = n
			mu.Unlock()
			<-sem
		}()
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	return sizes
}

// dirSize sums the sizes of the regular files below dir, ignoring errors.
func dirSize(dir string) int64 {
	var n int64
	filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, err := d.Info(); err == nil && info.Mode().IsRegular() {
			n += info.Size()
		}
		return nil
	})
	return n
}

// CountTrees counts the entries below each root concurrently (the quick
// estimate shown before the first full scan).
func CountTrees(roots []string) map[string]int {
	counts := make(map[string]int, len(roots))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, root := range roots {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			n := 0
			filepath.WalkDir(root, func(string, fs.DirEntry, error) error {
				n++
				return nil
			})
			mu.Lock()
			counts[root] = n
			mu.Unlock()
		}()
		if Verbose {
			log.Printf("walker: counting entries below %s", root)
		}
	}
	wg.Wait()
	return counts
}

// PrefetchDirs reads the listing of every directory so a following walk hits
// a warm dentry cache (large NFS exports benefit a lot).
func PrefetchDirs(dirs []string) int {
	var mu sync.Mutex
	var wg sync.WaitGroup
	entries := 0
	for _, d := range dirs {
		d := d
		wg.Add(1)
		go func() {
			defer wg.Done()
			list, err := os.ReadDir(d)
			if err != nil {
				return
			}
			mu.Lock()
			entries += len(list)
			mu.Unlock()
		}()
	}
	wg.Wait()
	return entries
}
