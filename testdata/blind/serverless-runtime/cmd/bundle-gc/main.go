// Command bundle-gc removes unpacked bundles that have not been used for a
// while. It runs from a systemd timer; a lock file keeps runs from
// overlapping.
package main

import (
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// dirSize sums the sizes of the regular files below dir.
func dirSize(dir string) (int64, error) {
	var total int64
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			total += info.Size()
		}
		return nil
	})
	return total, err
}

// collect removes bundle directories under root/bundles older than maxAge.
func collect(root string, maxAge time.Duration, dryRun bool) (removed int, freed int64, err error) {
	dir := filepath.Join(root, "bundles")
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, 0, err
	}
	cutoff := time.Now().Add(-maxAge)
	for _, e := range entries {
		if !e.IsDir() || e.Name()[0] == '.' {
			continue
		}
		info, err := e.Info()
		if err != nil {
			return removed, freed, err
		}
		if info.ModTime().After(cutoff) {
			continue
		}
		path := filepath.Join(dir, e.Name())
		size, err := dirSize(path)
		if err != nil {
			return removed, freed, err
		}
		if !dryRun {
			if err := os.RemoveAll(path); err != nil {
				return removed, freed, err
			}
		}
		removed++
		freed += size
	}
	return removed, freed, nil
}

// takeLock creates the lock file holding our pid.
func takeLock(path string) error {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return err
	}
	if _, err := fmt.Fprintln(f, strconv.Itoa(os.Getpid())); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

func main() {
	root := flag.String("root", "/var/lib/faas/cache", "cache root")
	maxAge := flag.Duration("max-age", 72*time.Hour, "remove bundles unused for this long")
	dryRun := flag.Bool("n", false, "only report what would be removed")
	flag.Parse()

	lockPath := filepath.Join(*root, ".gc.lock")
	if err := takeLock(lockPath); err != nil {
		log.Fatalf("bundle-gc: lock %s: %v", lockPath, err)
	}
	defer os.Remove(lockPath)

	removed, freed, err := collect(*root, *maxAge, *dryRun)
	if err != nil {
		log.Fatalf("bundle-gc: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("bundle-gc: removed %d bundles, freed %d bytes", removed, freed)
}
