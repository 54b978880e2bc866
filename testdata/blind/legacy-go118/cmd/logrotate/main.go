// Command logrotate compresses rotated logs in a directory and removes the
// uncompressed originals.
package main

import (
	"flag"
	"log"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/legacy118/internal/fsutil"
)

func main() {
	dir := flag.String("dir", "/var/log/app", "log directory")
	keep := flag.Duration("keep", 7*24*time.Hour, "delete compressed logs older than this")
	flag.Parse()

	lock, err := fsutil.AcquirePidLock(filepath.Join(*dir, ".logrotate.pid"))
	if err != nil {
		log.Fatalf("logrotate: %v", err) // ok: nothing deferred yet
	}
	defer lock.Release()

	names, err := fsutil.ListDir(*dir)
	if err != nil {
		log.Fatalf("logrotate: list %s: %v", *dir, err) // HAZ exit-skips-defer
	}
	for _, name := range names {
		path := filepath.Join(*dir, name)
		switch {
		case strings.HasSuffix(name, ".log") && name != "current.log":
			if err := fsutil.CompressFileChecked(path, path+".gz"); err != nil {
				log.Printf("logrotate: compress %s: %v", name, err)
				continue
			}
			if err := os.Remove(path); err != nil {
				log.Printf("logrotate: remove %s: %v", name, err)
			}
		case strings.HasSuffix(name, ".gz"):
			expire(path, *keep)
		}
	}
}

func expire(path string, keep time.Duration) {
	fi, err := os.Stat(path)
	if err != nil {
		log.Printf("logrotate: %v", err)
		return
	}
	if time.Since(fi.ModTime()) > keep {
		if err := os.Remove(path); err != nil {
			log.Printf("logrotate: %v", err)
		}
	}
}
