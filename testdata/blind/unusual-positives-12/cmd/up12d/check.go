package main

import (
	"errors"
	"fmt"
	"os"
)

// fatalf reports a startup error and terminates the daemon.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up12d: "+format+"\n", args...)
	os.Exit(1)
}

// checkSpoolWritable verifies that the spool directory accepts writes.
func checkSpoolWritable(dir string) {
	f, err := os.CreateTemp(dir, ".probe-")
	if err != nil {
		fatalf("spool %s not writable: %v", dir, err)
	}
	defer os.Remove(f.Name())
	_, werr := f.WriteString("ok\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		fatalf("spool %s not writable: %v", dir, err) // HAZ exit-skips-defer
	}
}

// checkServicesReadable fails fast before anything is set up.
func checkServicesReadable(path string) {
	if path == "" {
		return
	}
	st, err := os.Stat(path)
	if err != nil {
		fatalf("services: %v", err)
	}
	if st.IsDir() {
		fatalf("services: %s is a directory", path)
	}
}
