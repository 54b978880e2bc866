// Command seal marks segment files read-only after checking that every
// record in them can be read.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"

	"example.com/up24/internal/segment"
)

// claimDir marks dir as being sealed, so that writers keep away.
func claimDir(dir string) (release func(), err error) {
	marker := filepath.Join(dir, ".sealing")
	if err := os.WriteFile(marker, []byte(fmt.Sprintf("%d\n", os.Getpid())), 0o600); err != nil {
		return nil, err
	}
	return func() {
		if err := os.Remove(marker); err != nil && !errors.Is(err, fs.ErrNotExist) {
			log.Printf("seal: %v", err)
		}
	}, nil
}

func seal(path string) error {
	n, err := segment.CountRecords(path)
	if err != nil {
		return err
	}
	if n == 0 {
		return fmt.Errorf("no records")
	}
	return os.Chmod(path, 0o444)
}

func main() {
	logger := log.New(os.Stderr, "seal: ", 0)
	fatal := logger.Fatalf
	flag.Parse()
	if flag.NArg() == 0 {
		fatal("usage: seal SEGMENT...")
	}
	dir := filepath.Dir(flag.Arg(0))
	release, err := claimDir(dir)
	if err != nil {
		fatal("claim %s: %v", dir, err)
	}
	defer release()
	for _, p := range flag.Args() {
		if err := seal(p); err != nil {
			fatal("%s: %v", p, err) // HAZ exit-skips-defer
		}
		logger.Printf("sealed %s", p)
	}
}
