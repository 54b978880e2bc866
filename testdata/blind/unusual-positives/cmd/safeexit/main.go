// Command safeexit keeps all deferred cleanup inside run and only exits from
// main, which has no defers of its own.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("safeexit", flag.ContinueOnError)
	dir := fs.String("dir", os.TempDir(), "state directory")
	if err := fs.Parse(args); err != nil {
		return 2
	}

	pidFile := filepath.Join(*dir, "safeexit.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.Remove(pidFile)

	if fs.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "usage: safeexit [-dir D] NAME...")
		return 2
	}
	for _, a := range fs.Args() {
		fmt.Println(a)
	}
	return 0
}
