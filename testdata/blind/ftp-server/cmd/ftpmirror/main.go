// Command ftpmirror mirrors a remote directory into a local one. A lock
// file keeps two runs (cron overlaps) from writing the same directory.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/ftpsrv/client"
)

const lockName = ".ftpmirror.lock"

func main() {
	addr := flag.String("addr", "127.0.0.1:2121", "server address")
	user := flag.String("user", "mirror", "user name")
	remote := flag.String("remote", "/", "remote directory")
	dir := flag.String("dir", ".", "local directory")
	parallel := flag.Int("parallel", 4, "parallel sessions")
	timeout := flag.Duration("timeout", time.Hour, "overall timeout")
	flag.Parse()

	unlock, err := lockDir(*dir)
	if err != nil {
		log.Fatalf("ftpmirror: %v", err)
	}
	defer unlock()

	ctx, cancel := context.WithTimeout(context.Background(), *timeout)
	defer cancel()
	cfg := client.Config{Addr: *addr, User: *user, Password: os.Getenv("FTP_PASSWORD"), Retries: 5}
	start := time.Now()
	if err := client.Mirror(ctx, cfg, *remote, *dir, *parallel); err != nil {
		log.Fatalf("ftpmirror: %v", err) // HAZ exit-skips-defer
	}
	log.Printf("ftpmirror: %s mirrored in %s", *remote, time.Since(start).Round(time.Second))
}

// lockDir creates dir/.ftpmirror.lock exclusively and returns the function
// that removes it. A lock older than a day is considered stale.
func lockDir(dir string) (unlock func(), err error) {
	p := filepath.Join(dir, lockName)
	if fi, err := os.Stat(p); err == nil && time.Since(fi.ModTime()) > 24*time.Hour {
		log.Printf("ftpmirror: removing stale lock %s", p)
		os.Remove(p)
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, fs.ErrExist) {
		return nil, fmt.Errorf("%s is locked by another run (%s)", dir, p)
	}
	if err != nil {
		return nil, err
	}
	_, werr := f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	if err := errors.Join(werr, f.Close()); err != nil {
		os.Remove(p)
		return nil, err
	}
	return func() { os.Remove(p) }, nil
}
