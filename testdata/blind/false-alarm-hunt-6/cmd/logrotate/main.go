// Command logrotate rotates and compresses log files named on the command
// line, then signals the writing daemon via its pid file.
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
	"syscall"
	"time"

	"example.com/falsealarm6/internal/fsutil"
	"example.com/falsealarm6/internal/lockfile"
)

var (
	keep     = flag.Int("keep", 5, "rotated files to keep")
	compress = flag.Bool("compress", true, "gzip rotated files")
	pidFile  = flag.String("pidfile", "", "send SIGHUP to the pid in this file")
	lockPath = flag.String("lock", "/run/logrotate.lock", "lock file")
	minSize  = flag.Int64("min-size", 1<<20, "rotate only files at least this large")
)

func main() {
	log.SetFlags(0)
	log.SetPrefix("logrotate: ")
	flag.Parse()
	if flag.NArg() == 0 {
		log.Fatal("no log files given")
	}
	if *keep < 1 {
		log.Fatalf("-keep must be positive, got %d", *keep)
	}
	os.Exit(rotateAll(flag.Args()))
}

// rotateAll holds the lock for the whole run and returns an exit status;
// its deferred release runs before main exits.
func rotateAll(paths []string) int {
	lk, err := lockfile.AcquireStale(*lockPath)
	if err != nil {
		log.Printf("%v", err)
		return 1
	}
	defer func() {
		if err := lk.Release(); err != nil {
			log.Printf("release lock: %v", err)
		}
	}()
	failed := 0
	for _, p := range paths {
		if err := rotateOne(p); err != nil {
			log.Printf("%s: %v", p, err)
			failed++
		}
	}
	if err := signalDaemon(*pidFile); err != nil {
		log.Printf("signal: %v", err)
		failed++
	}
	if failed > 0 {
		return 1
	}
	return 0
}

func rotateOne(path string) error {
	info, err := os.Stat(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	if info.Size() < *minSize {
		return nil
	}
	if err := fsutil.Rotate(path, *keep); err != nil {
		return err
	}
	if !*compress {
		return nil
	}
	return gzipFile(path + ".1")
}

// gzipFile compresses src into src.gz and removes src. The gzip writer and
// the output file are closed explicitly and checked before src is removed.
func gzipFile(src string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(src + ".gz")
	if err != nil {
		return err
	}
	defer out.Close()
	zw := gzip.NewWriter(out)
	zw.Name = filepath.Base(src)
	zw.ModTime = time.Now()
	if _, err := io.Copy(zw, in); err != nil {
		return err
	}
	if err := zw.Close(); err != nil {
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	return os.Remove(src)
}

func signalDaemon(pidPath string) error {
	if pidPath == "" {
		return nil
	}
	pid, err := lockfile.ReadPID(pidPath)
	if err != nil {
		return err
	}
	if !lockfile.Alive(pid) {
		return fmt.Errorf("pid %d from %s is not running", pid, pidPath)
	}
	return syscall.Kill(pid, syscall.SIGHUP)
}

// rotateOrDie is used by the -now mode of the packaging scripts: rotate one
// file under the lock or exit non-zero.
func rotateOrDie(path string) {
	lk, err := lockfile.AcquireStale(*lockPath)
	if err != nil {
		log.Fatalf("%v", err)
	}
	defer lk.Release()
	if err := rotateOne(path); err != nil {
		log.Printf("%s: %v", path, err)
		os.Exit(1) // HAZ exit-skips-defer
	}
}
