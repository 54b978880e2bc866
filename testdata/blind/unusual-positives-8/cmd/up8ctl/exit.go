package main

import (
	"fmt"
	"os"
)

// die prints msg to stderr and exits with code.
func die(code int, msg string) {
	fmt.Fprintln(os.Stderr, "up8ctl: "+msg)
	os.Exit(code)
}

// fatalf reports a failure and exits with status 1.
func fatalf(format string, args ...any) {
	die(1, fmt.Sprintf(format, args...))
}

// usage prints the command summary.
func usage() {
	fmt.Fprint(os.Stderr, `usage: up8ctl <command> [flags] [args]

commands:
  compress [-o out] file     gzip a file
  pack -o out.tar.gz dir     pack a directory
  verify dir                 check a release against its manifest
  fetch [-o out] path        download an artifact from the mirrors
`)
}
