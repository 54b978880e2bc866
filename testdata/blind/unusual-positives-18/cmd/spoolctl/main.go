// Command spoolctl inspects and archives a spool directory.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"

	"example.com/up18/internal/export"
	"example.com/up18/internal/spool"
)

func main() {
	dir := flag.String("dir", "/var/spool/up18", "spool directory")
	out := flag.String("o", "", "write a gzip archive of every segment here")
	flag.Parse()

	store, err := spool.OpenStore(*dir)
	fatalIf(err, "open store")
	defer closeStore(store)

	segs, err := store.Segments()
	fatalIf(err, "list segments") // HAZ exit-skips-defer
	for _, s := range segs {
		n, err := export.CountRecords(s)
		if err != nil {
			log.Printf("%s: %v", s, err)
			continue
		}
		fmt.Printf("%8d %s\n", n, s)
	}
	if *out != "" {
		if err := archive(*out, segs); err != nil {
			log.Printf("archive: %v", err)
		}
	}
}

// fatalIf ends the process when err is set.
func fatalIf(err error, what string) {
	if err == nil {
		return
	}
	fmt.Fprintf(os.Stderr, "spoolctl: %s: %v\n", what, err)
	os.Exit(1)
}

func closeStore(s *spool.Store) {
	if err := s.Close(); err != nil {
		log.Printf("close store: %v", err)
	}
}

func archive(path string, segs []string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := export.Archive(f, segs); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}
