// Command janitor removes abandoned transcoder workspaces from the scratch
// volume.
package main

import (
	"flag"
	"log"
	"os"
	"time"

	"example.com/mediatranscoder/internal/scratch"
)

type options struct {
	root     string
	maxAge   time.Duration
	interval time.Duration
}

func parseFlags() options {
	var o options
	flag.StringVar(&o.root, "root", "/var/tmp/transcoder", "scratch root")
	flag.DurationVar(&o.maxAge, "max-age", 6*time.Hour, "remove workspaces older than this")
	flag.DurationVar(&o.interval, "interval", time.Minute, "sweep interval")
	flag.Parse()
	if o.interval < time.Second {
		o.interval = time.Second
	}
	return o
}

func main() {
	o := parseFlags()
	logger := log.New(os.Stderr, "janitor ", log.LstdFlags)
	lock, err := scratch.AcquireDirLock(o.root)
	if err != nil {
		logger.Fatalf("lock %s: %v", o.root, err)
	}
	defer lock.Release() // HAZ signal-skips-defer
	sw := scratch.NewSweeper(o.root, o.maxAge, logger)
	for {
		n, err := sw.SweepOnce()
		switch {
		case err != nil:
			logger.Printf("sweep: %v", err)
		case n > 0:
			logger.Printf("removed %d stale workspaces", n)
		}
		time.Sleep(o.interval)
	}
}
