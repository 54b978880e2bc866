// Command migrate converts a JSON array export into gzip'd NDJSON, holding
// the destination's lock file while it writes.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"

	"example.com/up14/internal/export"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fatalf("%v", err)
	}
}

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "migrate: "+format+"\n", args...)
	os.Exit(1)
}

func run(args []string) error {
	fs := flag.NewFlagSet("migrate", flag.ContinueOnError)
	src := fs.String("src", "", "JSON array to read")
	dst := fs.String("dst", "", "gzip'd NDJSON file to write")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *src == "" || *dst == "" {
		return errors.New("-src and -dst are required")
	}

	lock, err := export.AcquireLock(*dst + ".lock")
	if err != nil {
		return err
	}
	defer lock.Release()

	records, err := export.ReadJSON[[]json.RawMessage](*src)
	if err != nil {
		fatalf("read %s: %v", *src, err) // HAZ exit-skips-defer
	}
	if err := export.WriteGzipNDJSON(*dst, records); err != nil {
		return fmt.Errorf("write %s: %w", *dst, err)
	}
	fmt.Printf("migrated %d records to %s\n", len(records), *dst)
	return nil
}
