// Command spoolctl inspects and repairs a logshipd spool directory.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"

	"example.com/logship/internal/spool"
)

func main() {
	dir := flag.String("spool", "/var/lib/logship/spool", "spool directory")
	flag.Usage = func() {
		fmt.Fprintln(flag.CommandLine.Output(), "usage: spoolctl [-spool DIR] ls|count|head|export|verify|replay|stats|purge [args]")
		flag.PrintDefaults()
		os.Exit(2)
	}
	flag.Parse()
	if flag.NArg() < 1 {
		flag.Usage()
	}
	sp, err := spool.Open(*dir, 0)
	if err != nil {
		log.Fatal(err)
	}
	lock, err := acquireLock(*dir)
	if err != nil {
		log.Fatalf("spool %s is in use: %v", *dir, err)
	}
	defer lock.release()

	if err := dispatch(sp, flag.Arg(0), flag.Args()[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "spoolctl:", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
}

// lockFile keeps two spoolctl runs (or spoolctl and a repair script) from
// working on the same spool at once.
type lockFile struct{ path string }

func acquireLock(dir string) (*lockFile, error) {
	p := filepath.Join(dir, ".spoolctl.lock")
	f, err := os.OpenFile(p, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(p)
		return nil, err
	}
	return &lockFile{path: p}, nil
}

func (l *lockFile) release() {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintln(os.Stderr, "spoolctl: removing lock:", err)
	}
}

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "spoolctl: "+format+"\n", args...)
	os.Exit(1)
}
