// Command dlq-compact merges dead-letter segments and drops old letters.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"example.com/streamproc/internal/dlq"
)

// fatalf prints an error and exits with status 1.
func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "dlq-compact: "+format+"\n", args...)
	os.Exit(1)
}

func lockDir(dir string) (release func(), err error) {
	path := filepath.Join(dir, ".compact.lock")
	if err := os.Mkdir(path, 0o700); err != nil {
		return nil, fmt.Errorf("lock %s: %w", path, err)
	}
	return func() { os.Remove(path) }, nil
}

func main() {
	dir := flag.String("dlq", "./data/dlq", "dead-letter directory")
	keep := flag.Duration("keep", 7*24*time.Hour, "keep letters newer than this")
	flag.Parse()
	if _, err := os.Stat(*dir); err != nil {
		fatalf("%v", err)
	}
	release, err := lockDir(*dir)
	if err != nil {
		fatalf("%v", err)
	}
	defer release()
	n, err := dlq.Compact(*dir, time.Now().Add(-*keep))
	if err != nil {
		fatalf("compact: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("kept %d letters\n", n)
}
