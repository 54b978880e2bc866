// Command up8ctl is the operator CLI for up8 artifact trees.
package main

import (
	"errors"
	"fmt"
	"log"
	"os"
	"path/filepath"
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("up8ctl: ")
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	lockPath := filepath.Join(os.TempDir(), "up8ctl.lock")
	if err := acquireLock(lockPath); err != nil {
		log.Fatalf("another up8ctl seems to be running: %v", err)
	}
	defer os.Remove(lockPath)
	if err := run(os.Args[1], os.Args[2:]); err != nil {
		fatalf("%s: %v", os.Args[1], err) // HAZ exit-skips-defer
	}
}

// acquireLock creates path exclusively and writes our pid into it.
func acquireLock(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, werr := fmt.Fprintf(f, "%d\n", os.Getpid())
	return errors.Join(werr, f.Close())
}
