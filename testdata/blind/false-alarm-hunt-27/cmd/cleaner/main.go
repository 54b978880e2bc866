// Command cleaner prunes old dumps from the backup directory until it is
// stopped with SIGINT or SIGTERM.
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

	"example.com/fah27/internal/backup"
)

func main() {
	dir := flag.String("dir", "", "backup directory")
	keep := flag.Int("keep", 7, "dumps to keep")
	interval := flag.Duration("interval", time.Hour, "time between runs")
	flag.Parse()
	if *dir == "" {
		log.Fatal("cleaner: -dir is required")
	}

	lock, err := acquireLock(filepath.Join(*dir, ".cleaner.lock"))
	if err != nil {
		log.Fatalf("cleaner: %v", err)
	}
	defer lock.release()

	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGINT, syscall.SIGTERM)
	t := time.NewTicker(*interval)
	defer t.Stop()

	for {
		select {
		case s := <-sigs:
			log.Printf("cleaner: %v, shutting down", s)
			return
		case <-t.C:
			n, err := backup.Prune(*dir, *keep)
			if err != nil {
				log.Printf("cleaner: prune: %v", err)
				continue
			}
			if n > 0 {
				log.Printf("cleaner: removed %d old dumps", n)
			}
		}
	}
}

// lockFile keeps other cleaners away from the same directory.
type lockFile struct {
	path string
	f    *os.File
}

func acquireLock(path string) (*lockFile, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("another cleaner holds %s", path)
	}
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		_ = os.Remove(path)
		return nil, err
	}
	return &lockFile{path: path, f: f}, nil
}

func (l *lockFile) release() {
	if err := l.f.Close(); err != nil {
		log.Printf("cleaner: close lock: %v", err)
	}
	if err := os.Remove(l.path); err != nil {
		log.Printf("cleaner: remove lock: %v", err)
	}
}
