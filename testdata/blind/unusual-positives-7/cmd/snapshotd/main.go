// Command snapshotd writes a listing of the spool directory at a fixed
// interval.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up7/internal/spool"
)

// writeListing writes one "name size" line per spool entry to dst.
func writeListing(dir, dst string) (err error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	f, err := os.Create(dst)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	bw := bufio.NewWriter(f)
	for _, e := range entries {
		info, err := e.Info()
		if err != nil {
			continue
		}
		fmt.Fprintf(bw, "%s %d\n", e.Name(), info.Size())
	}
	return bw.Flush()
}

func main() {
	every := flag.Duration("every", time.Minute, "snapshot interval")
	out := flag.String("out", "snapshots", "output directory")
	flag.Parse()
	if *every <= 0 {
		log.Fatal("snapshotd: -every must be positive")
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		log.Fatalf("snapshotd: %v", err)
	}
	lease, err := spool.Acquire(*out)
	if err != nil {
		log.Fatalf("snapshotd: %v", err)
	}
	defer lease.Release()
	t := time.NewTicker(*every)
	defer t.Stop()
	for now := range t.C { // HAZ signal-skips-defer
		dst := filepath.Join(*out, now.UTC().Format("20060102T150405")+".lst")
		if err := writeListing(spool.Dir(), dst); err != nil {
			log.Printf("snapshotd: %v", err)
		}
	}
}
