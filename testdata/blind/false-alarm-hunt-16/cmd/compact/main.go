// Command compact merges a directory's segment files into one while the
// relay is stopped.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"

	"example.com/fah16/internal/segment"
)

func main() {
	dir := flag.String("dir", ".", "segment directory")
	flag.Parse()

	lock, err := acquireLock(*dir)
	if err != nil {
		die("compact: %v", err)
	}
	defer lock.release()

	n, err := compact(*dir)
	if err != nil {
		die("compact: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("compact: merged %d segments\n", n)
}

// die prints a message and exits with status 1.
func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, format+"\n", args...)
	os.Exit(1)
}

type lockFile struct {
	path string
	f    *os.File
}

func acquireLock(dir string) (*lockFile, error) {
	path := filepath.Join(dir, ".compact.lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("is another compaction running? %w", err)
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		return nil, errors.Join(err, f.Close(), os.Remove(path))
	}
	return &lockFile{path: path, f: f}, nil
}

func (l *lockFile) release() {
	if err := errors.Join(l.f.Close(), os.Remove(l.path)); err != nil {
		fmt.Fprintf(os.Stderr, "compact: releasing lock: %v\n", err)
	}
}

// compact concatenates seg-*.log into merged.log and removes the inputs.
func compact(dir string) (int, error) {
	segs, err := filepath.Glob(filepath.Join(dir, "seg-*.log"))
	if err != nil {
		return 0, err
	}
	sort.Strings(segs)
	var all []string
	for _, s := range segs {
		lines, err := segment.ReadLines(s)
		if err != nil {
			return 0, err
		}
		all = append(all, lines...)
	}
	if err := segment.WriteLines(filepath.Join(dir, "merged.log"), all); err != nil {
		return 0, err
	}
	for _, s := range segs {
		if err := os.Remove(s); err != nil {
			return 0, err
		}
	}
	return len(segs), nil
}
