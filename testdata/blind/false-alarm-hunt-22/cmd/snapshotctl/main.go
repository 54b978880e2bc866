// Command snapshotctl verifies a gzip state snapshot and exports its
// counters as a text report. A lock file keeps two runs from overlapping.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/fah22/internal/snapshot"
)

func usage() {
	fmt.Fprintf(flag.CommandLine.Output(), "usage: %s -in SNAPSHOT.gz -out REPORT [-sha256 HEX]\n", filepath.Base(os.Args[0]))
	flag.PrintDefaults()
}

func main() {
	flag.Usage = usage
	in := flag.String("in", "", "gzip snapshot to read")
	out := flag.String("out", "", "report to write")
	digest := flag.String("sha256", "", "expected digest of the decompressed snapshot")
	lockPath := flag.String("lock", filepath.Join(os.TempDir(), "snapshotctl.lock"), "lock file")
	flag.Parse()
	if *in == "" || *out == "" {
		flag.Usage()
		os.Exit(2)
	}

	lock, err := snapshot.AcquireLock(*lockPath)
	if err != nil {
		log.Fatalf("snapshotctl: %v", err)
	}
	defer lock.Release()

	if *digest != "" {
		if err := snapshot.VerifyGzip(*in, *digest); err != nil {
			log.Fatalf("snapshotctl: verify %s: %v", *in, err) // HAZ exit-skips-defer
		}
	}
	var rows map[string]int64
	if err := snapshot.ReadGzip(*in, &rows); err != nil {
		log.Printf("snapshotctl: read %s: %v", *in, err)
		return
	}
	if err := snapshot.WriteReport(*out, "snapshot "+filepath.Base(*in), rows); err != nil {
		log.Printf("snapshotctl: write %s: %v", *out, err)
		return
	}
	log.Printf("snapshotctl: %d counters written to %s", len(rows), *out)
}
