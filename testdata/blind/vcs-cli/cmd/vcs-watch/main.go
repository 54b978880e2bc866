// Command vcs-watch is a file-system monitor: it polls the working copy and
// refreshes the cached stat data in the index so that `vcs status` stays
// fast on large trees.
package main

import (
	"flag"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/vcscli/internal/refs"
	"example.com/vcscli/internal/repo"
)

type snapshot map[string]time.Time

// scan records the modification time of every file outside .vcs.
func scan(root string) (snapshot, error) {
	snap := make(snapshot)
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			if d.Name() == repo.DirName {
				return filepath.SkipDir
			}
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, p)
		if err != nil {
			return err
		}
		snap[filepath.ToSlash(rel)] = info.ModTime()
		return nil
	})
	return snap, err
}

// changed returns the paths whose modification time differs.
func changed(before, after snapshot) []string {
	var out []string
	for p, t := range after {
		if old, ok := before[p]; !ok || !old.Equal(t) {
			out = append(out, p)
		}
	}
	for p := range before {
		if _, ok := after[p]; !ok {
			out = append(out, p)
		}
	}
	return out
}

// refresh updates the index's stat cache for paths whose content is
// unchanged.
func refresh(r *repo.Repo, paths []string) (int, error) {
	ix, err := r.Index()
	if err != nil {
		return 0, err
	}
	touched := 0
	for _, p := range paths {
		fi, err := os.Lstat(filepath.Join(r.Root, filepath.FromSlash(p)))
		if err != nil {
			continue
		}
		e, ok := ix.Get(p)
		if !ok || e.Size != fi.Size() {
			continue
		}
		sums, err := r.HashFiles([]string{p})
		if err != nil {
			return touched, err
		}
		if sums[p] == e.ID && ix.Touch(p, fi) {
			touched++
		}
	}
	if touched > 0 {
		return touched, ix.Write()
	}
	return 0, nil
}

func main() {
	root := flag.String("repo", ".", "working copy to watch")
	interval := flag.Duration("interval", 2*time.Second, "polling interval")
	flag.Parse()

	r, err := repo.Open(*root)
	if err != nil {
		log.Fatal(err)
	}
	lf, err := refs.Acquire(filepath.Join(r.Dir, "fsmonitor"))
	if err != nil {
		log.Fatal(err)
	}
	defer lf.Rollback() // HAZ signal-skips-defer

	logger := log.New(os.Stderr, "vcs-watch: ", log.LstdFlags)
	var last snapshot
	for {
		cur, err := scan(r.Root)
		if err != nil {
			logger.Printf("scan: %v", err)
		} else {
			if last != nil {
				if n, err := refresh(r, changed(last, cur)); err != nil {
					logger.Printf("refresh: %v", err)
				} else if n > 0 {
					logger.Printf("refreshed %d index entries", n)
				}
			}
			last = cur
		}
		time.Sleep(*interval)
	}
}
