// Command wfadmin is the maintenance daemon: it applies the retention
// policy and takes periodic backups of the sealed history.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/wfengine/internal/history"
)

type dirLock struct{ path string }

// acquireLock claims the maintenance lock of dir.
func acquireLock(dir string) (*dirLock, error) {
	path := filepath.Join(dir, "ADMIN.lock")
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%s: another wfadmin is running", dir)
	}
	if err != nil {
		return nil, err
	}
	if _, err := fmt.Fprintf(f, "%d\n", os.Getpid()); err != nil {
		f.Close()
		os.Remove(path)
		return nil, err
	}
	if err := f.Close(); err != nil {
		os.Remove(path)
		return nil, err
	}
	return &dirLock{path: path}, nil
}

func (l *dirLock) release() {
	if err := os.Remove(l.path); err != nil {
		log.Printf("wfadmin: release lock: %v", err)
	}
}

// backupLoop writes a timestamped backup every interval.
func backupLoop(dir, dst string, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for now := range t.C {
		name := filepath.Join(dst, "history-"+now.UTC().Format("20060102T150405Z")+".tar.gz")
		if err := history.Backup(dir, name); err != nil {
			logger.Printf("backup: %v", err)
			continue
		}
		logger.Printf("backup: wrote %s", name)
	}
}

func main() {
	dir := flag.String("dir", "./data/history", "history directory")
	archive := flag.String("archive", "./data/archive", "archive directory")
	backups := flag.String("backups", "./data/backups", "backup directory")
	keep := flag.Int("keep", 16, "sealed segments to keep live")
	every := flag.Duration("every", time.Hour, "maintenance interval")
	flag.Parse()

	logger := log.New(os.Stderr, "wfadmin ", log.LstdFlags)
	lock, err := acquireLock(*dir)
	if err != nil {
		logger.Fatalf("%v", err)
	}
	defer lock.release()

	ret := history.NewRetention(*dir, *archive, *keep, logger)
	go ret.Loop(context.Background(), *every)
	go backupLoop(*dir, *backups, *every, logger)
	logger.Printf("maintaining %s every %s", *dir, *every)
	select {} // HAZ signal-skips-defer
}
