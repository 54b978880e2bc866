// Command ingest renders a batch of tiles and stores them as segments.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"syscall"

	"example.com/up22/internal/pipeline"
	"example.com/up22/internal/store"
)

func main() {
	os.Exit(run())
}

func run() int {
	fs := flag.NewFlagSet("ingest", flag.ContinueOnError)
	dir := fs.String("dir", "/var/lib/tiles", "data directory")
	workers := fs.Int("workers", 4, "parallel renderers")
	fs.Usage = func() {
		fmt.Fprintln(fs.Output(), "usage: ingest [-dir DIR] [-workers N] FILE...")
		os.Exit(2)
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "ingest: ", log.LstdFlags)
	st, err := store.Open(*dir, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	defer st.Close()

	pool := pipeline.NewPool(*workers, logger)
	jobs := make([]pipeline.Job, 0, fs.NArg())
	for _, path := range fs.Args() {
		jobs = append(jobs, pipeline.Job{Name: path, Run: func(ctx context.Context) error {
			return ingestFile(ctx, st, path)
		}})
	}
	failed := 0
	for _, err := range pool.RunStripedAll(ctx, jobs) {
		if err != nil {
			logger.Print(err)
			failed++
		}
	}
	if failed > 0 {
		return 1
	}
	return 0
}

func ingestFile(ctx context.Context, st *store.Store, path string) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	recs, err := store.LoadBlock(path)
	if err != nil {
		return err
	}
	entries := make([]string, 0, len(recs))
	for _, r := range recs {
		entries = append(entries, "put "+r.Key)
	}
	return st.AppendJournalSync(entries)
}
