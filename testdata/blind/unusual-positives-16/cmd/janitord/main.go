// Command janitord removes the payloads whose keys are dropped into the spool directory.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up16/internal/lease"
	"example.com/up16/internal/pipeline"
)

// feed moves the keys found in spool onto q, once a minute.
func feed(q chan<- string, spool string, logger *log.Logger) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	for range t.C {
		entries, err := os.ReadDir(spool)
		if err != nil {
			logger.Printf("spool: %v", err)
			continue
		}
		for _, e := range entries {
			if err := os.Remove(filepath.Join(spool, e.Name())); err != nil {
				logger.Printf("spool: %v", err)
				continue
			}
			q <- e.Name()
		}
	}
}

func main() {
	root := flag.String("root", "/var/lib/archiver", "archive root")
	flag.Parse()
	logger := log.New(os.Stderr, "janitord: ", log.LstdFlags)
	leases := &lease.Manager{Dir: filepath.Join(*root, "leases"), Log: logger}
	release, err := leases.Hold("janitord")
	if err != nil {
		logger.Fatalf("lease: %v", err)
	}
	defer release()
	data := filepath.Join(*root, "data")
	j := &pipeline.Janitor{
		Queue:  make(chan string, 64),
		Leases: leases,
		Log:    logger,
		Remove: func(key string) error { return os.Remove(filepath.Join(data, key)) },
	}
	go func() {
		if err := j.RunContext(context.Background()); err != nil {
			logger.Printf("janitor: %v", err)
		}
	}()
	go feed(j.Queue, filepath.Join(*root, "spool"), logger)
	logger.Printf("watching %s", filepath.Join(*root, "spool"))
	select {} // HAZ signal-skips-defer
}
