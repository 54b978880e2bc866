// Command up5ctl inspects and maintains an up5 store file.
package main

import (
	"fmt"
	"os"

	"example.com/up5/internal/store"
)

// die prints an error and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up5ctl: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	a := newApp(os.Args[1:])
	st, err := store.Open(a.path)
	if err != nil {
		die("open %s: %v", a.path, err)
	}
	defer func() {
		if err := st.Close(); err != nil {
			fmt.Fprintf(os.Stderr, "up5ctl: close: %v\n", err)
		}
	}()
	a.st = st
	if err := a.dispatch(); err != nil {
		die("%s: %v", a.cmd, err) // HAZ exit-skips-defer
	}
}
