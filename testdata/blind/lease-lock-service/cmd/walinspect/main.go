// Command walinspect dumps and checks a leased write-ahead log offline.
// It takes the data directory's lock file so that it never reads a log
// that a running leased is appending to.
package main

import (
	"bufio"
	"compress/gzip"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"example.com/leaselock/internal/wal"
)

func fatalf(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "walinspect: "+format+"\n", args...)
	os.Exit(1)
}

// dirLock is an exclusive lock file holding the owner's pid.
type dirLock struct {
	path string
}

// acquireDirLock creates dir/LOCK exclusively.
func acquireDirLock(dir string) (l *dirLock, err error) {
	path := filepath.Join(dir, "LOCK")
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if err != nil {
		if errors.Is(err, os.ErrExist) {
			return nil, fmt.Errorf("%s is locked by another process", dir)
		}
		return nil, err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
			os.Remove(path)
			l = nil
		}
	}()
	if _, err := f.WriteString(strconv.Itoa(os.Getpid()) + "\n"); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &dirLock{path: path}, nil
}

func (l *dirLock) release() {
	if err := os.Remove(l.path); err != nil && !errors.Is(err, os.ErrNotExist) {
		fmt.Fprintf(os.Stderr, "walinspect: release lock: %v\n", err)
	}
}

func dump(w io.Writer, r wal.Record) error {
	_, err := fmt.Fprintf(w, "%10d  %-9s lease=%-6d ttl=%-7d %s\n", r.Index, r.Type, r.Lease, r.TTLMillis, r.Key)
	return err
}

// archiveSize returns the uncompressed size of an archive written by
// wal.ExportArchive.
func archiveSize(path string) (int64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	return io.Copy(io.Discard, zr)
}

// dumpTo writes the text dump of the log to a file.
func dumpTo(path, walDir string) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write
	return wal.ReplayFrom(walDir, 0, func(r wal.Record) error { return dump(bw, r) })
}

func main() {
	dataDir := flag.String("data", "./data", "leased data directory")
	check := flag.Bool("check", false, "only check segment continuity")
	out := flag.String("o", "", "write the dump to this file instead of stdout")
	archive := flag.String("archive", "", "report the size of an exported archive and exit")
	flag.Parse()
	if *archive != "" {
		n, err := archiveSize(*archive)
		if err != nil {
			fatalf("%s: %v", *archive, err)
		}
		fmt.Printf("%s: %d bytes of records\n", *archive, n)
		return
	}
	walDir := filepath.Join(*dataDir, "wal")
	if _, err := os.Stat(walDir); err != nil {
		fatalf("%v", err)
	}
	lock, err := acquireDirLock(*dataDir)
	if err != nil {
		fatalf("%v", err)
	}
	defer lock.release()

	if *check {
		if err := wal.CheckContinuity(walDir); err != nil {
			fatalf("check: %v", err) // HAZ exit-skips-defer
		}
		fmt.Println("ok")
		return
	}
	if *out != "" {
		if err := dumpTo(*out, walDir); err != nil {
			fmt.Fprintf(os.Stderr, "walinspect: %v\n", err)
		}
		return
	}
	n := 0
	err = wal.ReplayFrom(walDir, 0, func(r wal.Record) error {
		n++
		return dump(os.Stdout, r)
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "walinspect: after %d records: %v\n", n, err)
		return
	}
	fmt.Printf("%d records\n", n)
}
