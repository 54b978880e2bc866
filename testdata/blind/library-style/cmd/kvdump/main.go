// Command kvdump prints every key of a kvstore and exits with status 1 if
// any key cannot be read.
package main

import (
	"fmt"
	"os"

	"example.com/blindi/kvstore"
)

func main() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: kvdump DIR")
		os.Exit(2)
	}
	code := 0
	defer func() { os.Exit(code) }()

	store, err := kvstore.Open(os.Args[1], kvstore.Options{ReadOnly: true})
	if err != nil {
		fmt.Fprintln(os.Stderr, "kvdump:", err)
		code = 1
		return
	}
	defer store.Close()

	for _, k := range store.Keys() {
		v, _, err := store.Lookup(k)
		if err != nil {
			fmt.Fprintf(os.Stderr, "kvdump: %s: %v\n", k, err)
			code = 1
			continue
		}
		fmt.Printf("%s\t%q\n", k, v)
	}
}
