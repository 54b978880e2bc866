// Command snapshot converts a journal into a snapshot file.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/websvc/internal/store"
)

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: snapshot [-gzip] journal... output")
		flag.PrintDefaults()
		os.Exit(2) // ok: inside a function literal
	}
	gz := flag.Bool("gzip", false, "gzip the output")
	flag.Parse()
	if flag.NArg() < 2 {
		flag.Usage()
	}
	journals := flag.Args()[:flag.NArg()-1]
	out := flag.Arg(flag.NArg() - 1)

	lock := out + ".lock"
	lf, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		fmt.Fprintln(os.Stderr, "snapshot: another run holds", lock)
		os.Exit(1) // ok: nothing deferred yet
	}
	if err := lf.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1) // ok: nothing deferred yet
	}
	defer os.Remove(lock)

	st := store.New()
	if err := st.ReplayJournals(journals); err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		os.Exit(1) // HAZ exit-skips-defer
	}
	if *gz {
		err = st.ExportGzip(out)
	} else {
		err = st.WriteSnapshotAtomic(out)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "snapshot:", err)
		return
	}
	fmt.Printf("wrote %d items to %s\n", st.Len(), out)
}
