// Command tidectl inspects segment directories and archives.
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/exec"
	"text/tabwriter"
	"time"

	"example.com/up20/internal/archive"
	"example.com/up20/internal/segment"
)

func main() {
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() < 1 {
		usage()
		os.Exit(2)
	}
	os.Exit(dispatch(flag.Arg(0), flag.Args()[1:]))
}

func usage() {
	fmt.Fprintln(flag.CommandLine.Output(), "usage: tidectl list DIR | verify ARCHIVE | cat ARCHIVE | export ARCHIVE OUT.csv | zstd ARCHIVE OUT.zst")
}

func dispatch(cmd string, args []string) int {
	switch cmd {
	case "list":
		return cmdList(args)
	case "verify":
		return cmdVerify(args)
	case "cat":
		return cmdCat(args)
	case "export":
		return cmdExport(args)
	case "zstd":
		return cmdZstd(args)
	default:
		usage()
		return 2
	}
}

// cmdList prints the segments of a directory as a table.
func cmdList(args []string) int {
	if len(args) != 1 {
		usage()
		return 2
	}
	segs, err := segment.NewDir(args[0]).List()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	tw := tabwriter.NewWriter(os.Stdout, 0, 8, 2, ' ', 0)
	fmt.Fprintln(tw, "STREAM\tFIRST\tFILE")
	for _, s := range segs {
		fmt.Fprintf(tw, "%s\t%d\t%s\n", s.Stream, s.First, s.Name)
	}
	if err := tw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// cmdVerify re-encodes an archive into a scratch file and checks that the
// header survives the round trip.
func cmdVerify(args []string) int {
	logger := log.New(os.Stderr, "tidectl verify: ", 0)
	if len(args) != 1 {
		logger.Printf("usage: tidectl verify ARCHIVE")
		return 2
	}
	h, recs, err := archive.ReadArchive(args[0])
	if err != nil {
		logger.Fatalf("%v", err)
	}
	scratch, err := os.CreateTemp("", "tidectl-verify-*.tpa.gz")
	if err != nil {
		logger.Fatalf("scratch file: %v", err)
	}
	name := scratch.Name()
	if err := scratch.Close(); err != nil {
		logger.Fatalf("scratch file: %v", err)
	}
	defer os.Remove(name)
	if err := archive.WriteArchiveSynced(name, h, recs); err != nil {
		logger.Printf("re-encode: %v", err)
		return 1
	}
	again, _, err := archive.ReadArchive(name)
	if err != nil {
		logger.Printf("re-read: %v", err)
		return 1
	}
	if again != h {
		logger.Fatalf("header changed in round trip: %v != %v", again, h) // HAZ exit-skips-defer
	}
	fmt.Printf("%s: ok (%d records)\n", args[0], len(recs))
	return 0
}

// cmdCat prints an archive as text.
func cmdCat(args []string) int {
	logger := log.New(os.Stderr, "tidectl cat: ", 0)
	if len(args) != 1 {
		logger.Fatalf("usage: tidectl cat ARCHIVE")
	}
	h, recs, err := archive.ReadArchive(args[0])
	if err != nil {
		logger.Fatalf("%v", err)
	}
	start := time.Now()
	defer func() { logger.Printf("%d records in %s", len(recs), time.Since(start)) }()
	bw := bufio.NewWriter(os.Stdout)
	fmt.Fprintln(bw, h.String())
	for _, r := range recs {
		fmt.Fprintf(bw, "%d\t%s\n", r.Seq, r.Line)
	}
	if err := bw.Flush(); err != nil {
		logger.Printf("%v", err)
		return 1
	}
	return 0
}

// fail prints err and exits with the given status.
func fail(code int, err error) {
	fmt.Fprintf(os.Stderr, "tidectl: %v\n", err)
	os.Exit(code)
}

// cmdExport converts an archive to CSV. The CSV is written to a temporary
// name and renamed into place, so readers never see a partial file.
func cmdExport(args []string) int {
	if len(args) != 2 {
		fail(2, errors.New("usage: tidectl export ARCHIVE OUT.csv"))
	}
	_, recs, err := archive.ReadArchive(args[0])
	if err != nil {
		fail(1, err)
	}
	tmp := args[1] + ".tmp"
	defer os.Remove(tmp)
	if err := archive.ExportCSVChecked(tmp, recs); err != nil {
		fail(1, fmt.Errorf("export: %w", err)) // HAZ exit-skips-defer
	}
	if err := os.Rename(tmp, args[1]); err != nil {
		fmt.Fprintf(os.Stderr, "tidectl: %v\n", err)
		return 1
	}
	return 0
}

// cmdZstd recompresses an archive with the external zstd tool, streaming
// the records into its standard input.
func cmdZstd(args []string) int {
	if len(args) != 2 {
		usage()
		return 2
	}
	_, recs, err := archive.ReadArchive(args[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	zc := exec.Command("zstd", "-q", "-f", "-o", args[1])
	zc.Stderr = os.Stderr
	stdin, err := zc.StdinPipe()
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := zc.Start(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer zc.Wait() // HAZ defer-blocking-call
	bw := bufio.NewWriter(stdin)
	for _, r := range recs {
		if r.Line == "" {
			fmt.Fprintf(os.Stderr, "tidectl: record %d is empty; archive is damaged\n", r.Seq)
			return 1
		}
		fmt.Fprintf(bw, "%d\t%s\n", r.Seq, r.Line)
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	if err := stdin.Close(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}
