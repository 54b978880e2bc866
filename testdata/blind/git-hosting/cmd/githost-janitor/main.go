// Command githost-janitor prunes the archive cache and garbage-collects the
// repositories in the background.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/githost/internal/archive"
	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/storage"
)

// gcLoop runs "git gc --auto" on every repository once per interval.
func gcLoop(ctx context.Context, st *storage.Store, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for _, r := range st.List() {
				if err := st.GC(ctx, r.Name); err != nil {
					log.Printf("githost-janitor: %v", err)
				}
			}
		}
	}
}

func main() {
	root := flag.String("root", "/srv/git", "directory holding the bare repositories")
	cacheDir := flag.String("cache", "/var/cache/githost", "archive cache directory")
	maxAge := flag.Duration("max-age", 7*24*time.Hour, "prune cached archives older than this")
	gcEvery := flag.Duration("gc-every", 6*time.Hour, "interval between gc passes")
	flag.Parse()

	git := gitcmd.NewRunner("git")
	st, err := storage.Open(*root, git)
	if err != nil {
		log.Fatalf("githost-janitor: %v", err)
	}
	lock := filepath.Join(*cacheDir, ".janitor.lock")
	if err := os.WriteFile(lock, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("githost-janitor: %v", err)
	}
	defer os.Remove(lock)

	ctx := context.Background()
	b := archive.NewBuilder(git, *cacheDir, log.Default())
	go b.Janitor(ctx, time.Hour, *maxAge)
	go gcLoop(ctx, st, *gcEvery)
	log.Printf("githost-janitor: running")
	select {} // HAZ signal-skips-defer
}
