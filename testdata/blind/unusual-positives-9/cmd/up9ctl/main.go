// Command up9ctl is the offline maintenance tool for an up9 store.
package main

import (
	"flag"
	"fmt"
	"os"

	"example.com/up9/internal/blob"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: up9ctl export|verify -root DIR")
	os.Exit(2)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up9ctl: "+format+"\n", args...)
	os.Exit(1)
}

func openLocked(args []string, name string) (*blob.Store, func()) {
	fs := flag.NewFlagSet(name, flag.ExitOnError)
	root := fs.String("root", ".", "store directory")
	fs.Parse(args)
	st, err := blob.Open(*root, blob.Hooks{})
	if err != nil {
		die("%v", err)
	}
	unlock, err := st.LockExclusive()
	if err != nil {
		die("%v", err)
	}
	return st, unlock
}

// cmdExport writes every blob to stdout.
func cmdExport(args []string) {
	st, unlock := openLocked(args, "export")
	defer unlock()
	if err := st.Export(os.Stdout); err != nil {
		die("export: %v", err) // HAZ exit-skips-defer
	}
}

// cmdVerify checks every blob and returns the exit status.
func cmdVerify(args []string) int {
	st, unlock := openLocked(args, "verify")
	defer unlock()
	bad := 0
	for name := range st.All() {
		if err := st.Verify(name); err != nil {
			fmt.Fprintln(os.Stderr, err)
			bad++
		}
	}
	if bad > 0 {
		fmt.Fprintf(os.Stderr, "up9ctl: %d blobs failed verification\n", bad)
		return 1
	}
	return 0
}

func main() {
	if len(os.Args) < 2 {
		usage()
	}
	switch os.Args[1] {
	case "export":
		cmdExport(os.Args[2:])
	case "verify":
		os.Exit(cmdVerify(os.Args[2:]))
	default:
		usage()
	}
}
