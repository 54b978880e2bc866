// Command blobgc runs one garbage-collection pass over a blob store. It is
// meant for a nightly cron job on nodes that do not run the daemon's
// background collector.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/index"
)

func main() {
	root := flag.String("root", "/var/lib/registry", "blob store root")
	indexPath := flag.String("index", "/var/lib/registry/index.jsonl", "index file")
	grace := flag.Duration("grace", 24*time.Hour, "keep unreferenced blobs younger than this")
	dryRun := flag.Bool("n", false, "only report what would be removed")
	flag.Parse()

	store, err := blobstore.Open(*root)
	if err != nil {
		fatalf("open store: %v", err)
	}
	lease := blobstore.NewFileLease(*root, hostname())
	if err := lease.Acquire(); err != nil {
		fatalf("acquire lease: %v", err)
	}
	defer lease.Release()

	x, err := index.Load(*indexPath)
	if err != nil {
		fatalf("load index: %v", err) // HAZ exit-skips-defer
	}
	removed, kept, err := collect(store, x.Referenced(), *grace, *dryRun)
	fmt.Printf("removed %d blobs, kept %d\n", removed, kept)
	if err != nil {
		fmt.Fprintf(os.Stderr, "blobgc: %v\n", err)
	}
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "blobgc: "+format+"\n", args...)
	os.Exit(1)
}

// hostname returns the lease owner name.
func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return "blobgc"
	}
	return h
}

// collect deletes blobs that no index entry references and that are older
// than grace.
func collect(store *blobstore.Store, refs map[string]bool, grace time.Duration, dryRun bool) (removed, kept int, err error) {
	cutoff := time.Now().Add(-grace)
	err = filepath.WalkDir(filepath.Join(store.Root(), "blobs", "sha256"), func(path string, de os.DirEntry, werr error) error {
		if werr != nil {
			return werr
		}
		if de.IsDir() || strings.Contains(de.Name(), ".") {
			return nil
		}
		d := blobstore.Digest("sha256:" + de.Name())
		info, err := de.Info()
		if err != nil {
			return err
		}
		if refs[string(d)] || info.ModTime().After(cutoff) {
			kept++
			return nil
		}
		removed++
		if dryRun {
			fmt.Println("would remove", d)
			return nil
		}
		return store.Delete(d)
	})
	return removed, kept, err
}
