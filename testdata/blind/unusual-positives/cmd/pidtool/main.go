// Command pidtool writes a pid file and then parses its flags with a
// ContinueOnError flag set; a bad flag exits with status 2.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
)

func main() {
	pidFile := filepath.Join(os.TempDir(), "pidtool.pid")
	if err := os.WriteFile(pidFile, []byte(strconv.Itoa(os.Getpid())), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer os.Remove(pidFile)

	fs := flag.NewFlagSet("pidtool", flag.ContinueOnError)
	verbose := fs.Bool("v", false, "verbose output")
	if err := fs.Parse(os.Args[1:]); err != nil {
		os.Exit(2) // HAZ exit-skips-defer
	}
	if *verbose {
		fmt.Println("pid file:", pidFile)
	}
	for _, a := range fs.Args() {
		fmt.Println(a)
	}
}
