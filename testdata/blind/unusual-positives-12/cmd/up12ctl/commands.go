package main

import (
	"flag"
	"fmt"
	"log"
	"path/filepath"

	"example.com/up12/internal/spool"
)

// cmdCompact merges sealed segments while holding the maintenance lock.
func cmdCompact(args []string) int {
	fs := flag.NewFlagSet("compact", flag.ExitOnError)
	dir := fs.String("dir", "/var/spool/up12", "spool directory")
	fs.Parse(args)
	release, err := acquire(*dir)
	if err != nil {
		die("%v", err)
	}
	defer release()
	sp, err := spool.Open(*dir, 64<<20)
	if err != nil {
		die("open %s: %v", *dir, err) // HAZ exit-skips-defer
	}
	n, err := sp.Compact(true)
	if cerr := sp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		warn("compact: %v", err)
		return 1
	}
	fmt.Printf("merged %d pairs\n", n)
	return 0
}

// cmdExport writes all sealed records to one file.
func cmdExport(args []string) int {
	fs := flag.NewFlagSet("export", flag.ExitOnError)
	dir := fs.String("dir", "/var/spool/up12", "spool directory")
	out := fs.String("o", "export.log", "output file")
	fs.Parse(args)
	release, err := acquire(*dir)
	if err != nil {
		warn("%v", err)
		return 1
	}
	defer release()
	sp, err := spool.Open(*dir, 64<<20)
	if err != nil {
		warn("open %s: %v", *dir, err)
		return 1
	}
	defer sp.Close()
	if err := sp.ExportChecked(*out, sp.Sealed()); err != nil {
		warn("export: %v", err)
		return 1
	}
	return 0
}

// cmdArchive gzips sealed segments, skipping the ones named with -skip.
func cmdArchive(args []string) int {
	fs := flag.NewFlagSet("archive", flag.ExitOnError)
	dir := fs.String("dir", "/var/spool/up12", "spool directory")
	skip := fs.String("skip", "", "glob of segments to leave alone")
	fs.Parse(args)
	skips, _ := filepath.Glob(filepath.Join(*dir, *skip))
	release, err := acquire(*dir)
	if err != nil {
		warn("%v", err)
		return 1
	}
	defer release()
	sp, err := spool.Open(*dir, 64<<20)
	if err != nil {
		warn("open %s: %v", *dir, err)
		return 1
	}
	defer sp.Close()
	archived := 0
names:
	for _, n := range sp.Sealed() {
		for _, s := range skips {
			if filepath.Base(s) == n {
				continue names
			}
		}
		if err := sp.Archive(n); err != nil {
			log.Fatalf("up12ctl: archive %s: %v", n, err) // HAZ exit-skips-defer
		}
		archived++
	}
	fmt.Printf("archived %d segments\n", archived)
	return 0
}

// cmdCount prints record counts; it has nothing to clean up, so dying on
// the first error is fine.
func cmdCount(args []string) int {
	fs := flag.NewFlagSet("count", flag.ExitOnError)
	fs.Parse(args)
	total := 0
	for _, p := range fs.Args() {
		n, err := spool.CountRecordsStrict(p)
		if err != nil {
			die("count %s: %v", p, err)
		}
		fmt.Printf("%8d %s\n", n, p)
		total += n
	}
	fmt.Printf("%8d total\n", total)
	return 0
}
