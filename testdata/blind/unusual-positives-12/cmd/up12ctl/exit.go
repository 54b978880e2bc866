package main

import (
	"fmt"
	"os"
)

// die prints an error and terminates the tool with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up12ctl: "+format+"\n", args...)
	os.Exit(1)
}

// warn prints an error; the caller decides how to return.
func warn(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up12ctl: "+format+"\n", args...)
}
