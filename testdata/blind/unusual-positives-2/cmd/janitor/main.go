// Command janitor removes stale spool files until it is told to stop.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

func sweep(dir string, maxAge time.Duration) (int, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return 0, err
	}
	cutoff := time.Now().Add(-maxAge)
	removed := 0
	var errs []error
	for _, e := range entries {
		info, err := e.Info()
		if err != nil || e.IsDir() || info.ModTime().After(cutoff) {
			continue
		}
		if err := os.Remove(filepath.Join(dir, e.Name())); err != nil {
			errs = append(errs, err)
			continue
		}
		removed++
	}
	return removed, errors.Join(errs...)
}

func main() {
	code := 0
	defer func() { os.Exit(code) }()

	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: janitor -dir DIR [-age D]")
		os.Exit(2)
	}
	dir := flag.String("dir", "", "spool directory")
	age := flag.Duration("age", 24*time.Hour, "remove files older than this")
	flag.Parse()
	if *dir == "" {
		flag.Usage()
	}
	logger := log.New(os.Stderr, "janitor ", log.LstdFlags)

	pid := filepath.Join(*dir, "janitor.pid")
	if err := os.WriteFile(pid, []byte(fmt.Sprint(os.Getpid())), 0o644); err != nil {
		logger.Print(err)
		code = 1
		return
	}
	defer os.Remove(pid)

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM, os.Interrupt)
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		select {
		case s := <-sigs:
			logger.Printf("got %v, stopping", s)
			return
		case <-ticker.C:
			n, err := sweep(*dir, *age)
			if err != nil {
				logger.Printf("sweep: %v", err)
			}
			logger.Printf("removed %d files", n)
		}
	}
}
