// Package cli holds helpers shared by the up6 command-line tools.
package cli

import (
	"flag"
	"fmt"
	"os"
	"strconv"
)

// Fatalf prints an error message to stderr and exits with status 1.
func Fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "up6: "+format+"\n", args...)
	os.Exit(1)
}

// Usagef prints a usage error and the flag defaults, then exits with status 2.
func Usagef(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "usage: "+format+"\n", args...)
	flag.PrintDefaults()
	os.Exit(2)
}

// WithLockFile runs fn while holding the exclusive lock file at path. The
// lock file records our pid so operators can find a stuck holder.
func WithLockFile(path string, fn func() error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		Fatalf("lock %s: %v (is another instance running?)", path, err)
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if cerr := f.Close(); werr != nil || cerr != nil {
		os.Remove(path)
		Fatalf("lock %s: write pid: %v %v", path, werr, cerr)
	}
	defer os.Remove(path)

	if err := fn(); err != nil {
		Fatalf("%v", err) // HAZ exit-skips-defer
	}
}

// Confirm reports whether answer is an affirmative reply to a prompt.
func Confirm(answer string) bool {
	switch answer {
	case "y", "Y", "yes", "YES", "Yes":
		return true
	}
	return false
}
