//go:build go1.22

// Command batchd runs batch jobs listed in a directory on a worker pool until
// it is told to stop.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"example.com/legacy118/internal/fsutil"
	"example.com/legacy118/internal/pool"
)

func main() {
	dir := flag.String("dir", "/var/spool/batchd", "job directory")
	workers := flag.Int("workers", 4, "workers")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()

	lock, err := fsutil.AcquirePidLock(filepath.Join(*dir, "batchd.pid"))
	if err != nil {
		log.Printf("batchd: %v", err)
		return
	}
	defer lock.Release()

	p := pool.New(*workers, 64)
	p.StartWorkers(ctx)

	t := time.NewTicker(5 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			for _, err := range p.Close() {
				log.Printf("batchd: %v", err)
			}
			return
		case <-t.C:
			scan(ctx, p, *dir)
		}
	}
}

func scan(ctx context.Context, p *pool.Pool, dir string) {
	names, err := fsutil.ListDir(dir)
	if err != nil {
		log.Printf("batchd: %v", err)
		return
	}
	var wg sync.WaitGroup
	for _, name := range names {
		if filepath.Ext(name) != ".job" {
			continue
		}
		wg.Add(1)
		go func() { // ok: name is per-iteration in this file
			defer wg.Done()
			err := p.Submit(ctx, func(ctx context.Context) error {
				return runJob(filepath.Join(dir, name))
			})
			if err != nil {
				log.Printf("batchd: submit %s: %v", name, err)
			}
		}()
	}
	wg.Wait()
}

func runJob(path string) error {
	line, err := fsutil.LastLine(path)
	if err != nil {
		return err
	}
	log.Printf("batchd: %s: %s", filepath.Base(path), line)
	return os.Rename(path, path+".done")
}
