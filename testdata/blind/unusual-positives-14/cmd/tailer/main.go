// Command tailer follows a log file and appends one record per change to a
// journal until it is interrupted.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up14/internal/export"
	"example.com/up14/internal/worker"
)

type change struct {
	Path  string    `json:"path"`
	Event string    `json:"event"`
	At    time.Time `json:"at"`
}

func die(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "tailer: "+format+"\n", args...)
	os.Exit(1)
}

func main() {
	path := flag.String("file", "", "file to follow")
	out := flag.String("journal", "changes.ndjson", "journal to append to")
	poll := flag.Duration("poll", time.Second, "poll interval")
	flag.Parse()
	if *path == "" {
		die("-file is required")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	w := worker.NewWatcher(*path, *poll)
	followErr := make(chan error, 1)
	go func() { followErr <- w.Follow(ctx) }()

	var batch []change
	flush := time.NewTicker(5 * time.Second)
	defer flush.Stop()
loop:
	for {
		select {
		case ev := <-w.Events():
			batch = append(batch, change{Path: *path, Event: ev, At: time.Now()})
		case <-flush.C:
			if err := export.Archive(*out, batch); err != nil {
				log.Printf("tailer: %v", err)
				break loop
			}
			batch = batch[:0]
		case err := <-followErr:
			if err != nil && !errors.Is(err, context.Canceled) {
				log.Printf("tailer: follow: %v", err)
			}
			break loop
		}
	}
	defer log.Printf("tailer: stopped following %s", *path)
	if err := export.Archive(*out, batch); err != nil {
		log.Printf("tailer: final flush: %v", err)
	}
}
