// Command snapshotctl restores, verifies and compacts subscriber snapshots.
//
//	snapshotctl restore -from backup.json.gz -to /var/lib/newsletter/subscribers.json
//	snapshotctl verify -file backup.json.gz
//	snapshotctl compact -file /var/lib/newsletter/subscribers.json
package main

import (
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"path/filepath"

	"example.com/newsletter/internal/subscribers"
)

func usage() {
	fmt.Fprintln(os.Stderr, "usage: snapshotctl restore|verify|compact [flags]")
}

func main() {
	if len(os.Args) < 2 {
		usage()
		os.Exit(2)
	}
	switch os.Args[1] {
	case "restore":
		restore(os.Args[2:])
	case "verify":
		verify(os.Args[2:])
	case "compact":
		os.Exit(compact(os.Args[2:]))
	default:
		usage()
		os.Exit(2)
	}
}

// copySnapshot loads from (compressed or not) and writes it to to.
func copySnapshot(from, to string) (int, error) {
	st := subscribers.NewStore(nil)
	if err := subscribers.LoadCompressed(from, st); err != nil {
		return 0, err
	}
	n := 0
	for _, id := range st.Lists() {
		n += st.Count(id)
	}
	return n, subscribers.WriteSnapshot(to, st)
}

// restore replaces the live snapshot with a backup, holding the same lock
// file as importsubs.
func restore(args []string) {
	fs := flag.NewFlagSet("restore", flag.ExitOnError)
	from := fs.String("from", "", "backup to restore")
	to := fs.String("to", "/var/lib/newsletter/subscribers.json", "live snapshot")
	fs.Parse(args)
	lockPath := *to + ".lock"
	lf, err := os.OpenFile(lockPath, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		log.Fatalf("restore: %v", err)
	}
	lf.Close()
	defer os.Remove(lockPath)
	n, err := copySnapshot(*from, *to)
	if err != nil {
		log.Fatalf("restore: %v", err) // HAZ exit-skips-defer
	}
	fmt.Printf("restored %d subscribers from %s\n", n, *from)
}

// verify decompresses a backup to a scratch file and checks that it loads.
func verify(args []string) {
	fs := flag.NewFlagSet("verify", flag.ExitOnError)
	file := fs.String("file", "", "backup to verify")
	fs.Parse(args)
	logger := log.New(os.Stderr, "snapshotctl verify: ", 0)
	scratch, err := decompressToTemp(*file)
	if err != nil {
		logger.Fatal(err)
	}
	defer os.Remove(scratch)
	st := subscribers.NewStore(nil)
	if err := subscribers.LoadSnapshot(scratch, st); err != nil {
		logger.Fatalf("%s does not load: %v", *file, err) // HAZ exit-skips-defer
	}
	fmt.Printf("%s: %d lists OK\n", *file, len(st.Lists()))
}

// decompressToTemp gunzips path into a temporary file and returns its name.
func decompressToTemp(path string) (name string, err error) {
	in, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer in.Close()
	zr, err := gzip.NewReader(in)
	if err != nil {
		return "", err
	}
	defer zr.Close()
	out, err := os.CreateTemp("", "snapshot-verify-*.json")
	if err != nil {
		return "", err
	}
	defer func() {
		if cerr := out.Close(); cerr != nil && err == nil {
			err = cerr
		}
		if err != nil {
			os.Remove(out.Name())
		}
	}()
	if _, err = io.Copy(out, zr); err != nil {
		return "", err
	}
	return out.Name(), nil
}

// compact rewrites a snapshot in place and returns the exit code; its
// deferred cleanup runs before main calls os.Exit.
func compact(args []string) int {
	fs := flag.NewFlagSet("compact", flag.ContinueOnError)
	file := fs.String("file", "", "snapshot to compact")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	lockPath := filepath.Join(filepath.Dir(*file), "subscribers.json.lock")
	if err := os.WriteFile(lockPath, nil, 0o600); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	defer os.Remove(lockPath)
	if _, err := copySnapshot(*file, *file); err != nil {
		if errors.Is(err, os.ErrNotExist) {
			fmt.Fprintf(os.Stderr, "compact: %s does not exist\n", *file)
			return 2
		}
		fmt.Fprintf(os.Stderr, "compact: %v\n", err)
		return 1
	}
	return 0
}
