// Command bundle packs generated files into a reproducible .tar.gz.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"example.com/fah21/internal/archive"
)

func main() {
	out := flag.String("o", "bundle.tar.gz", "output archive")
	root := flag.String("C", ".", "directory the paths are relative to")
	flag.Parse()
	if flag.NArg() == 0 {
		die("usage: bundle [-o out.tar.gz] [-C dir] path...")
	}

	tmp, err := os.CreateTemp(filepath.Dir(*out), ".bundle-*")
	if err != nil {
		die("bundle: %v", err)
	}
	// The temporary file is removed unless it was renamed into place.
	defer os.Remove(tmp.Name())

	err = archive.WriteTarGz(tmp, *root, flag.Args())
	err = errors.Join(err, tmp.Close())
	if err == nil {
		err = os.Rename(tmp.Name(), *out)
	}
	if err != nil {
		die("bundle: %v", err) // HAZ exit-skips-defer
	}
	fmt.Println(*out)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format, args...)
	fmt.Fprintln(os.Stderr)
	os.Exit(1)
}
