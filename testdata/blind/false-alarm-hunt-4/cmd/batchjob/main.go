// Command batchjob recomputes prices from a CSV export.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"strconv"

	"example.com/falsealarm4/internal/catalog"
)

func run(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	c := catalog.New()
	r := csv.NewReader(f)
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			return fmt.Errorf("%s: %w", path, err)
		}
		if len(rec) < 2 {
			continue
		}
		p, err := strconv.Atoi(rec[1])
		if err != nil {
			return fmt.Errorf("%s: price %q: %w", path, rec[1], err)
		}
		c.Put(catalog.Entry{SKU: rec[0], Price: p})
	}
	fmt.Printf("%d entries\n", c.Len())
	return nil
}

func main() {
	flag.Parse()
	if flag.NArg() != 1 {
		log.Fatal("usage: batchjob FILE.csv")
	}
	if err := run(flag.Arg(0)); err != nil {
		log.Fatal(err) // ok: run's defers have already run; main defers nothing
	}
}
