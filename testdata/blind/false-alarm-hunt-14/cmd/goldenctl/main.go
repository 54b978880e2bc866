// Command goldenctl regenerates the report golden files from recorded event
// snapshots: goldenctl -dir internal/report/testdata summary ...
package main

import (
	"bytes"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/fah14/internal/golden"
	"example.com/fah14/internal/report"
	"example.com/fah14/internal/store"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: goldenctl [-dir testdata] name...")
	flag.PrintDefaults()
}

// regenerate rewrites dir/name.csv.golden from the snapshot dir/name.jsonl.
func regenerate(dir, name string) error {
	sn, err := store.LoadSnapshot(filepath.Join(dir, name+".jsonl"))
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := report.WriteCSV(&buf, report.Summarize(sn.Events)); err != nil {
		return err
	}
	out := filepath.Join(dir, name+".csv.golden")
	if err := os.WriteFile(out+".tmp", buf.Bytes(), 0o644); err != nil {
		return err
	}
	return os.Rename(out+".tmp", out)
}

func main() {
	dir := flag.String("dir", "testdata", "testdata directory")
	flag.Usage = usage
	flag.Parse()
	if flag.NArg() == 0 {
		usage()
		os.Exit(2)
	}

	lock, err := golden.Acquire(*dir)
	if err != nil {
		log.Fatalf("goldenctl: %v", err)
	}
	defer lock.Release()

	for _, name := range flag.Args() {
		if err := regenerate(*dir, name); err != nil {
			log.Fatalf("goldenctl: %s: %v", name, err) // HAZ exit-skips-defer
		}
		log.Printf("goldenctl: regenerated %s", name)
	}
}
