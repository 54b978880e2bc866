// Command forge-gc deletes cache entries that have not been used for a
// while. It is run from cron; a lock file keeps two runs apart.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/fah28/internal/fsutil"
)

func main() {
	dir := flag.String("dir", filepath.Join(os.Getenv("HOME"), ".cache", "forge"), "cache directory")
	maxAge := flag.Duration("max-age", 14*24*time.Hour, "remove entries unused for this long")
	dryRun := flag.Bool("n", false, "only print what would be removed")
	flag.Parse()
	log.SetFlags(0)
	log.SetPrefix("forge-gc: ")

	lock := filepath.Join(*dir, ".gc.lock")
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		log.Fatalf("cannot take %s (another gc running?): %v", lock, err)
	}
	if err := f.Close(); err != nil {
		log.Fatal(err)
	}
	defer os.Remove(lock)

	n, err := collect(*dir, time.Now().Add(-*maxAge), *dryRun)
	if err != nil {
		log.Fatalf("collect: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("removed %d entries", n)
	if !*dryRun {
		rewriteIndex(*dir)
	}
}

// die prints the message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "forge-gc: "+format+"\n", args...)
	os.Exit(1)
}

// rewriteIndex drops the index lines of objects that no longer exist. The
// new index is written next to the old one and renamed over it.
func rewriteIndex(dir string) {
	index := filepath.Join(dir, "index.txt")
	data, err := os.ReadFile(index)
	if errors.Is(err, fs.ErrNotExist) {
		return
	}
	if err != nil {
		die("read index: %v", err)
	}
	tmp := index + ".new"
	defer os.Remove(tmp) // no-op once renamed
	var kept []string
	for _, line := range strings.Split(strings.TrimSpace(string(data)), "\n") {
		id, _, _ := strings.Cut(line, " ")
		if _, err := os.Stat(filepath.Join(dir, "objects", id)); err == nil {
			kept = append(kept, line)
		}
	}
	err = fsutil.WriteLines(tmp, kept)
	if err == nil {
		err = os.Rename(tmp, index)
	}
	if err != nil {
		die("rewrite index: %v", err) // HAZ exit-skips-defer
	}
}

// collect removes (or, with dryRun, lists) the object files under dir last
// modified before cutoff, and returns how many there were.
func collect(dir string, cutoff time.Time, dryRun bool) (int, error) {
	n := 0
	err := filepath.WalkDir(filepath.Join(dir, "objects"), func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		if fi.ModTime().After(cutoff) {
			return nil
		}
		n++
		if dryRun {
			log.Printf("would remove %s", path)
			return nil
		}
		return os.Remove(path)
	})
	return n, err
}
