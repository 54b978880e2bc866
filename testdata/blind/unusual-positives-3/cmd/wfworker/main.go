// Command wfworker executes queued workflow runs.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"time"

	"example.com/unusualpos3/internal/workflow"
)

func main() {
	dir := flag.String("journal", "/var/lib/wf/journal", "journal directory")
	workers := flag.Int("workers", 4, "number of workers")
	poll := flag.Duration("poll", 500*time.Millisecond, "queue poll interval")
	flag.Parse()

	logger := log.New(os.Stderr, "wfworker: ", log.LstdFlags)
	j, err := workflow.OpenJournal(*dir)
	if err != nil {
		logger.Fatalf("open journal: %v", err)
	}
	defer j.Close() // HAZ signal-skips-defer

	eng := workflow.NewEngine(j, workflow.LogAuditor{Logger: logger}, logger)
	sched := workflow.NewScheduler(eng, *poll, logger)
	ctx := context.Background()
	started := sched.StartPinned(ctx, *workers)
	logger.Printf("%d workers started", started)
	for {
		if n := sched.MarkQueued(ctx, 64); n > 0 {
			logger.Printf("queued %d runs", n)
		}
		time.Sleep(*poll)
	}
}
