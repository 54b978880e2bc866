//go:build go1.21

// This file is built with go1.21 loop semantics: it is shared with the
// older agent branch and kept in sync by hand.

package receiver

import (
	"log"
	"os"
	"path/filepath"
	"sort"
	"sync"
)

func readable(path string) bool {
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	f.Close()
	return true
}

// Discover expands glob patterns and returns the matches that can be
// opened, checking them concurrently (NFS mounts make this slow).
func Discover(patterns []string) []string {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		found []string
	)
	checked := 0
	for _, pat := range patterns {
		matches, err := filepath.Glob(pat)
		if err != nil {
			log.Printf("discover: bad pattern %q: %v", pat, err)
			continue
		}
		for _, m := range matches {
			wg.Add(1)
			go func() { // HAZ loop-var-capture
				defer wg.Done()
				if readable(m) {
					mu.Lock()
					found = append(found, m)
					mu.Unlock()
				}
			}()
			checked++
		}
	}
	wg.Wait()
	log.Printf("discover: %d candidates, %d readable", checked, len(found))
	sort.Strings(found)
	return found
}

// DiscoverDirs is Discover for directories; the loop variable is passed
// as an argument.
func DiscoverDirs(dirs []string) []string {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		found []string
	)
	for _, d := range dirs {
		wg.Add(1)
		go func(dir string) { // ok: passed as an argument
			defer wg.Done()
			entries, err := os.ReadDir(dir)
			if err != nil {
				return
			}
			mu.Lock()
			defer mu.Unlock()
			for _, e := range entries {
				if e.Type().IsRegular() {
					found = append(found, filepath.Join(dir, e.Name()))
				}
			}
		}(d)
	}
	wg.Wait()
	sort.Strings(found)
	return found
}

// StatAll stats paths concurrently; the loop variable is copied.
func StatAll(paths []string) map[string]int64 {
	var (
		mu    sync.Mutex
		wg    sync.WaitGroup
		sizes = make(map[string]int64, len(paths))
	)
	for _, p := range paths {
		p := p // ok: per-iteration copy
		wg.Add(1)
		go func() {
			defer wg.Done()
			fi, err := os.Stat(p)
			if err != nil {
				return
			}
			mu.Lock()
			sizes[p] = fi.Size()
			mu.Unlock()
		}()
	}
	wg.Wait()
	return sizes
}
