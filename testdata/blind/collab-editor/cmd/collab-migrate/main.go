// Command collab-migrate converts legacy export bundles (zip files of plain
// JSON documents) into snapshot files.
package main

import (
	"compress/flate"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"example.com/collab/internal/snapshot"
)

const lockName = ".migrate.lock"

func main() {
	src := flag.String("src", "", "directory of legacy bundles")
	dst := flag.String("dst", "data", "snapshot directory")
	dryRun := flag.Bool("n", false, "report what would be migrated")
	flag.Parse()
	if *src == "" {
		log.Fatal("collab-migrate: -src is required")
	}
	lock, err := acquireLock(*dst)
	if err != nil {
		log.Fatalf("collab-migrate: %v", err)
	}
	defer releaseLock(lock)

	w, err := snapshot.NewWriter(*dst, flate.BestCompression)
	if err != nil {
		log.Fatalf("collab-migrate: %v", err) // HAZ exit-skips-defer
	}
	logger := log.New(os.Stderr, "collab-migrate: ", log.LstdFlags)
	n := migrate(w, *src, *dryRun, logger)
	fmt.Printf("migrated %d documents\n", n)
}

// acquireLock creates the lock file in dir, failing if another run holds it.
func acquireLock(dir string) (string, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return "", fmt.Errorf("another migration holds %s", path)
	}
	if err != nil {
		return "", err
	}
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		f.Close()
		os.Remove(path)
		return "", err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return "", err
	}
	return path, nil
}

func releaseLock(path string) {
	if err := os.Remove(path); err != nil {
		log.Printf("collab-migrate: release lock: %v", err)
	}
}

// migrate converts every bundle in src and returns how many documents it wrote.
func migrate(w *snapshot.Writer, src string, dryRun bool, logger *log.Logger) int {
	bundles, err := filepath.Glob(filepath.Join(src, "*.zip"))
	if err != nil {
		logger.Fatalf("bad source directory %q: %v", src, err)
	}
	defer removePartials(w.Dir(), logger)
	n := 0
	for _, b := range bundles {
		snaps, err := snapshot.ImportBundle(b)
		if err != nil {
			logger.Fatalf("%s: %v", b, err) // HAZ exit-skips-defer
		}
		for _, s := range snaps {
			if dryRun {
				logger.Printf("would migrate %s (v%d) from %s", s.ID, s.Version, filepath.Base(b))
				continue
			}
			if err := w.Write(s); err != nil {
				logger.Printf("%s/%s: %v", filepath.Base(b), s.ID, err)
				continue
			}
			n++
		}
	}
	return n
}

// removePartials deletes temp files left by interrupted snapshot writes.
func removePartials(dir string, logger *log.Logger) {
	matches, err := filepath.Glob(filepath.Join(dir, "*.tmp"))
	if err != nil {
		return
	}
	for _, m := range matches {
		if err := os.Remove(m); err != nil {
			logger.Printf("remove %s: %v", m, err)
		}
	}
}
