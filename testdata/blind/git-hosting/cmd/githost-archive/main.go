// Command githost-archive pre-builds the archive cache for the default
// branch of every repository (run from cron after busy push hours).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/githost/internal/archive"
	"example.com/githost/internal/gitcmd"
	"example.com/githost/internal/storage"
)

// acquireLock creates the lock file of the cache directory, failing when
// another run holds it.
func acquireLock(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, os.ErrExist) {
		return fmt.Errorf("%s exists: another githost-archive is running", path)
	}
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func releaseLock(path string) {
	if err := os.Remove(path); err != nil {
		log.Printf("githost-archive: %v", err)
	}
}

// pruneOnly implements -prune-only: prune the cache under the warm lock, build nothing.
func pruneOnly(logger *log.Logger, cacheDir string, maxAge time.Duration) {
	lock := filepath.Join(cacheDir, ".warm.lock")
	if err := acquireLock(lock); err != nil {
		logger.Fatalf("%v", err)
	}
	defer releaseLock(lock)
	b := archive.NewBuilder(nil, cacheDir, logger)
	n, err := b.PruneCache(maxAge)
	if err != nil {
		logger.Fatalf("prune: %v", err) // HAZ exit-skips-defer
	}
	logger.Printf("pruned %d archives", n)
}

func main() {
	root := flag.String("root", "/srv/git", "directory holding the bare repositories")
	cacheDir := flag.String("cache", "/var/cache/githost", "archive cache directory")
	maxAge := flag.Duration("max-age", 7*24*time.Hour, "prune cached archives older than this")
	onlyPrune := flag.Bool("prune-only", false, "prune the cache and exit")
	flag.Parse()
	if *onlyPrune {
		pruneOnly(log.New(os.Stderr, "githost-archive: ", log.LstdFlags), *cacheDir, *maxAge)
		return
	}

	git := gitcmd.NewRunner("git")
	st, err := storage.Open(*root, git)
	if err != nil {
		log.Fatalf("githost-archive: %v", err)
	}
	lock := filepath.Join(*cacheDir, ".warm.lock")
	if err := acquireLock(lock); err != nil {
		log.Fatalf("githost-archive: %v", err)
	}
	defer releaseLock(lock)

	b := archive.NewBuilder(git, *cacheDir, log.Default())
	if n, err := b.PruneCache(*maxAge); err != nil {
		log.Printf("githost-archive: prune: %v", err)
	} else {
		log.Printf("githost-archive: pruned %d archives", n)
	}
	var targets []archive.Target
	for _, r := range st.List() {
		targets = append(targets, archive.Target{Name: r.Name, Dir: r.Path, Rev: "HEAD"})
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	if err := b.WarmAll(ctx, targets); err != nil {
		log.Fatalf("githost-archive: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("githost-archive: %d archives ready", len(targets))
}
