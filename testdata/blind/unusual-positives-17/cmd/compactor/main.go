// Command compactor periodically compacts an ingest journal, dropping
// deleted entries, until it is interrupted.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up17/internal/journal"
)

// entry is the journal record type compacted by this tool.
type entry struct {
	ID      string `json:"id"`
	Deleted bool   `json:"deleted,omitempty"`
}

// run does the work and returns the exit status, so that its deferred calls
// complete before main exits.
func run() int {
	path := flag.String("journal", "", "journal to compact")
	every := flag.Duration("every", time.Hour, "compaction interval")
	flag.Parse()
	if *path == "" {
		flag.Usage()
		return 2
	}
	logger := log.New(os.Stderr, "compactor: ", log.LstdFlags)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	t := time.NewTicker(*every)
	defer t.Stop()

	j := journal.Open[entry](*path)
	for {
		kept, err := j.Compact(func(e entry) bool { return !e.Deleted })
		if err != nil {
			logger.Printf("compact %s: %v", *path, err)
		} else {
			logger.Printf("compact %s: kept %d entries", *path, kept)
		}
		select {
		case <-ctx.Done():
			logger.Printf("stopping: %v", context.Cause(ctx))
			return 0
		case <-t.C:
		}
	}
}

func main() {
	flag.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: compactor -journal PATH [-every 1h]")
	}
	os.Exit(run())
}
