// Command snapgc periodically removes blobs that have not been used for a
// long time.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/fah10/internal/catalog"
	"example.com/fah10/internal/obs"
)

func main() {
	dataDir := flag.String("data", "/var/lib/snapd", "data directory")
	every := flag.Duration("every", 10*time.Minute, "sweep interval")
	maxAge := flag.Duration("max-age", 30*24*time.Hour, "remove blobs unused for this long")
	flag.Parse()

	release, err := acquirePidFile(filepath.Join(*dataDir, "snapgc.pid"))
	if err != nil {
		log.Fatalf("snapgc: %v", err)
	}
	defer release()

	t := time.NewTicker(*every)
	defer t.Stop()
	for { // HAZ signal-skips-defer
		if err := sweep(*dataDir, *maxAge); err != nil {
			log.Printf("snapgc: sweep: %v", err)
		}
		<-t.C
	}
}

// acquirePidFile creates path exclusively and returns the func that
// removes it.
func acquirePidFile(path string) (func(), error) {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, fmt.Errorf("pid file: %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return func() { os.Remove(path) }, nil
}

// sweep prunes the catalog and deletes the pruned blobs.
func sweep(dataDir string, maxAge time.Duration) error {
	defer obs.Since("gc.sweep", time.Now())
	path := filepath.Join(dataDir, "catalog.json")
	cat, err := catalog.Load(path, log.Default())
	if err != nil {
		return err
	}
	pruned := cat.Prune(time.Now().Add(-maxAge))
	for _, e := range pruned {
		err := os.Remove(filepath.Join(dataDir, "blobs", e.Digest))
		if err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
	}
	if len(pruned) == 0 {
		return nil
	}
	log.Printf("snapgc: pruned %d blobs", len(pruned))
	return cat.Save(path)
}
