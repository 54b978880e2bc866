// Command cacheimport copies blob files into a cache directory.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"example.com/up21/internal/archive"
	"example.com/up21/internal/lease"
)

// app carries the command's dependencies; exit is os.Exit outside tests.
type app struct {
	dir    string
	exit   func(int)
	stderr io.Writer
	spool  *archive.Spool
}

func main() {
	a := &app{exit: os.Exit, stderr: os.Stderr}
	flag.StringVar(&a.dir, "dir", "/var/cache/up21", "cache directory")
	flag.Parse()
	if flag.NArg() == 0 {
		a.usage()
	}
	a.spool = archive.NewSpool(filepath.Join(a.dir, "spool"), filepath.Join(a.dir, "cas"))
	a.importAll(flag.Args())
}

func (a *app) usage() {
	fmt.Fprintln(a.stderr, "usage: cacheimport [-dir DIR] FILE...")
	a.exit(2)
}

// importOne copies one file into the spool.
func (a *app) importOne(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	data, err := io.ReadAll(f)
	if err != nil {
		return err
	}
	return a.spool.CommitSynced(filepath.Base(path), data)
}

// importAll imports every path under the lease and fails the process if any
// import failed.
func (a *app) importAll(paths []string) {
	l, err := lease.Acquire(a.dir)
	if err != nil {
		fmt.Fprintln(a.stderr, "cacheimport:", err)
		a.exit(1)
	}
	defer l.Release()
	failed := 0
	for _, p := range paths {
		if err := a.importOne(p); err != nil {
			fmt.Fprintf(a.stderr, "cacheimport: %s: %v\n", p, err)
			failed++
		}
	}
	if failed > 0 {
		fmt.Fprintf(a.stderr, "cacheimport: %d of %d imports failed\n", failed, len(paths))
		a.exit(1) // HAZ exit-skips-defer
	}
}
