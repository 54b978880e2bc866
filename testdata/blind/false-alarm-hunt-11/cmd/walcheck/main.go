// Command walcheck verifies a WAL directory and prints per-segment
// checksums.
package main

import (
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"example.com/fah11/internal/lifecycle"
	"example.com/fah11/internal/wal"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("walcheck", flag.ContinueOnError)
	flags.SetOutput(stderr)
	verbose := flags.Bool("v", false, "log timings")
	if err := flags.Parse(args); err != nil {
		return 2
	}
	if flags.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: walcheck [-v] DIR")
		return 2
	}
	dir := flags.Arg(0)

	logger := log.New(io.Discard, "", 0)
	if *verbose {
		logger = log.New(stderr, "walcheck ", log.Lmicroseconds)
	}
	defer lifecycle.Region(logger, "walcheck")()

	next, err := wal.Verify(dir)
	if err != nil {
		fmt.Fprintf(stderr, "walcheck: %v\n", err)
		return 1
	}
	paths, err := wal.Segments(dir)
	if err != nil {
		fmt.Fprintf(stderr, "walcheck: %v\n", err)
		return 1
	}
	if err := wal.PrefetchSegments(paths, 4); err != nil {
		fmt.Fprintf(stderr, "walcheck: %v\n", err)
		return 1
	}
	sums, err := wal.ChecksumSegments(paths)
	if err != nil {
		fmt.Fprintf(stderr, "walcheck: %v\n", err)
		return 1
	}
	printReport(stdout, paths, sums, next)
	return 0
}

func printReport(w io.Writer, paths []string, sums []uint32, next uint64) {
	for i, p := range paths {
		fmt.Fprintf(w, "%-32s %08x\n", filepath.Base(p), sums[i])
	}
	fmt.Fprintf(w, "%d segments, next sequence %d\n", len(paths), next)
}
