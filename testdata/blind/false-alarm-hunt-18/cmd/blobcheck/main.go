// Command blobcheck verifies record files and exits non-zero if any is
// damaged.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"example.com/fah18/recordio"
)

func main() {
	os.Exit(check())
}

// check does the work of main and returns the exit status, so that its
// deferred cleanup runs before the process exits.
func check() int {
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: blobcheck file.rec...")
		return 2
	}
	scratch, err := os.MkdirTemp("", "blobcheck")
	if err != nil {
		fmt.Fprintln(os.Stderr, "blobcheck:", err)
		return 1
	}
	defer removeScratch(scratch)
	status := 0
	for _, path := range flag.Args() {
		if err := checkOne(path, scratch); err != nil {
			fmt.Fprintf(os.Stderr, "blobcheck: %s: %v\n", path, err)
			status = 1
		}
	}
	return status
}

// removeScratch removes the scratch directory, which only ever holds the
// one file checkOne writes at a time.
func removeScratch(dir string) {
	os.Remove(filepath.Join(dir, "copy.rec"))
	os.Remove(dir)
}

// checkOne decodes path and re-encodes it into scratch to make sure every
// record survives a round trip.
func checkOne(path, scratch string) error {
	recs, err := recordio.ReadFile(path)
	if err != nil {
		return err
	}
	copyPath := filepath.Join(scratch, "copy.rec")
	if err := recordio.WriteFile(copyPath, recs); err != nil {
		return err
	}
	again, err := recordio.ReadFile(copyPath)
	if err != nil {
		return err
	}
	if len(again) != len(recs) {
		return fmt.Errorf("round trip changed %d records into %d", len(recs), len(again))
	}
	return nil
}
