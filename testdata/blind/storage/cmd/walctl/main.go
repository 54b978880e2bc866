// Command walctl inspects and maintains a write-ahead log directory.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"

	"example.com/storage/wal"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: walctl -dir DIR append|dump|compact|verify|bounds [args]")
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "walctl: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	dir := flag.String("dir", ".", "log directory")
	flag.Parse()
	if flag.NArg() < 1 {
		usage()
		os.Exit(2) // ok: no defer registered in main
	}
	var err error
	switch cmd := flag.Arg(0); cmd {
	case "append":
		err = cmdAppend(*dir, flag.Args()[1:])
	case "dump":
		err = cmdDump(*dir)
	case "compact":
		err = cmdCompact(*dir)
	case "verify":
		err = cmdVerify(*dir)
	case "bounds":
		err = cmdBounds(*dir)
	default:
		usage()
		os.Exit(2)
	}
	if err != nil {
		die("%v", err) // ok: main itself has no defers
	}
}

func cmdAppend(dir string, args []string) (err error) {
	l, err := wal.Open(dir, wal.Options{})
	if err != nil {
		die("open %s: %v", dir, err) // ok: before any defer
	}
	defer func() { err = errors.Join(err, l.Close()) }()
	for _, a := range args {
		if _, err := l.Append([]byte(a)); err != nil {
			die("append: %v", err) // HAZ exit-skips-defer
		}
	}
	return l.Sync()
}

func cmdDump(dir string) error {
	return wal.Replay(dir, func(seg uint64, rec []byte) error {
		_, err := fmt.Printf("%d\t%q\n", seg, rec)
		return err
	})
}

func cmdCompact(dir string) (err error) {
	l, err := wal.Open(dir, wal.Options{})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, l.Close()) }()
	if err := l.Compact(func(rec []byte) bool { return !bytes.HasPrefix(rec, []byte("tombstone:")) }); err != nil {
		log.Fatalf("walctl: compact %s: %v", dir, err) // HAZ exit-skips-defer
	}
	return nil
}

func cmdVerify(dir string) error {
	l, err := wal.Open(dir, wal.Options{})
	if err != nil {
		return err
	}
	ids := l.Segments()
	if err := l.Close(); err != nil {
		return err
	}
	n, err := wal.VerifyAll(dir, ids)
	fmt.Printf("verified %d segments\n", n)
	return err
}

func cmdBounds(dir string) error {
	first, last, err := wal.Bounds(dir)
	if err != nil {
		return err
	}
	fmt.Printf("first %q\nlast  %q\n", first, last)
	return nil
}
