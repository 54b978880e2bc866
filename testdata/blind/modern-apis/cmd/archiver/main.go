// Command archiver exports the blob store to a tar.gz and a CSV manifest.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"example.com/modernapis/internal/fsstore"
	"example.com/modernapis/internal/trace"
)

// die prints err and exits with status 1.
func die(err error) {
	fmt.Fprintln(os.Stderr, "archiver:", err)
	os.Exit(1)
}

// usage prints the usage text and exits with status 2.
func usage(fs *flag.FlagSet) {
	fmt.Fprintf(os.Stderr, "usage: %s [flags] <store-dir> <out-dir>\n", fs.Name())
	fs.PrintDefaults()
	os.Exit(2)
}

type options struct {
	storeDir string
	outDir   string
	csv      bool
}

func parse(args []string) options {
	fs := flag.NewFlagSet("archiver", flag.ExitOnError)
	csv := fs.Bool("csv", true, "also write a CSV manifest")
	if err := fs.Parse(args); err != nil {
		die(err)
	}
	if fs.NArg() != 2 {
		usage(fs)
	}
	return options{storeDir: fs.Arg(0), outDir: fs.Arg(1), csv: *csv}
}

// export writes the archive and manifest, exiting on failure.
func export(opts options) {
	store, err := fsstore.Open(opts.storeDir)
	if err != nil {
		die(err)
	}
	defer store.Close()
	stamp := time.Now().UTC().Format("20060102T150405")
	if err := store.ExportTarGz(filepath.Join(opts.outDir, "blobs-"+stamp+".tar.gz")); err != nil {
		die(err) // HAZ exit-skips-defer
	}
	if opts.csv {
		if err := store.ExportCSVChecked(filepath.Join(opts.outDir, "manifest-"+stamp+".csv")); err != nil {
			fmt.Fprintln(os.Stderr, "archiver: manifest:", err)
		}
	}
}

// run is export returning an error, so main exits only after every
// deferred close has run.
func run(opts options) (err error) {
	defer trace.Region("archiver.run")()
	store, err := fsstore.Open(opts.storeDir)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, store.Close()) }()
	stamp := time.Now().UTC().Format("20060102T150405")
	if err := store.ExportTarGz(filepath.Join(opts.outDir, "blobs-"+stamp+".tar.gz")); err != nil {
		return err
	}
	if opts.csv {
		return store.ExportCSVChecked(filepath.Join(opts.outDir, "manifest-"+stamp+".csv"))
	}
	return nil
}

func main() {
	opts := parse(os.Args[1:])
	if os.Getenv("ARCHIVER_LEGACY") != "" {
		export(opts)
		return
	}
	if err := run(opts); err != nil {
		die(err)
	}
}
