// Command warcdump lists the records of WARC segments and can write a CDX
// index of the first one.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"example.com/crawler/internal/warc"
)

func main() {
	index := flag.String("index", "", "write a CDX index of the first segment to this file")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: warcdump [-index out.cdx] segment.warc[.gz]...")
		os.Exit(2)
	}
	lock := filepath.Join(os.TempDir(), "warcdump.lock")
	lf, err := os.OpenFile(lock, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		log.Fatalf("warcdump: another run holds %s: %v", lock, err)
	}
	_, werr := fmt.Fprintf(lf, "%d\n", os.Getpid())
	if err := errors.Join(werr, lf.Close()); err != nil {
		log.Fatalf("warcdump: %s: %v", lock, err)
	}
	defer os.Remove(lock)

	out := bufio.NewWriter(os.Stdout)
	for _, path := range flag.Args() {
		if err := dump(out, path); err != nil {
			log.Fatalf("warcdump: %s: %v", path, err) // HAZ exit-skips-defer
		}
	}
	if err := out.Flush(); err != nil {
		log.Printf("warcdump: stdout: %v", err)
		return
	}
	if *index != "" {
		if err := warc.WriteIndex(flag.Arg(0), *index); err != nil {
			log.Printf("warcdump: index: %v", err)
		}
	}
}

// dump prints one line per record of the segment at path.
func dump(w io.Writer, path string) error {
	fmt.Fprintf(w, "# %s\n", path)
	return warc.ReadSegment(path, func(rec *warc.Record, off, n int64) error {
		_, err := fmt.Fprintf(w, "%10d %8d %-9s %s %s\n", off, n, rec.Type, rec.Date.Format("2006-01-02T15:04:05Z"), rec.TargetURI)
		return err
	})
}
