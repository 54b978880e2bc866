// Command replay sends captured span batches (JSON, one batch after another)
// to an OTLP/HTTP endpoint at a fixed pace, resuming from a checkpoint.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/fah30/exporter/exporterhelper"
	"example.com/fah30/exporter/otlphttpexporter"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	endpoint := fs.String("endpoint", "http://127.0.0.1:4318", "OTLP/HTTP endpoint")
	interval := fs.Duration("interval", 10*time.Millisecond, "pause between batches")
	statePath := fs.String("checkpoint", ".replay.checkpoint", "where progress is kept")
	dryRun := fs.Bool("dry-run", false, "only count batches and spans (FILE may be - for stdin)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("usage: replay [flags] FILE...")
	}
	if *dryRun {
		return countSpans(fs.Args(), os.Stdout)
	}
	logger := log.New(os.Stderr, "replay: ", log.LstdFlags|log.Lmsgprefix)
	obs := obsreport.NewRecorder("replay", logger)
	exp, err := otlphttpexporter.New(otlphttpexporter.Config{
		Endpoint: *endpoint,
		Timeout:  10 * time.Second,
		Retry:    exporterhelper.DefaultRetrySettings(),
	}, obs, logger)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := exp.Start(ctx, nil); err != nil {
		return err
	}
	defer func() { obs.Snapshot().Log(logger) }()

	cp, err := loadCheckpoint(*statePath)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	for _, path := range fs.Args() {
		var offset int64
		if abs, _ := filepath.Abs(path); abs == cp.File {
			offset = cp.Offset
		}
		n := replayFile(ctx, exp, path, offset, *interval, *statePath)
		logger.Printf("%s: replayed %d batches", path, n)
		if err := ctx.Err(); err != nil {
			return err
		}
	}
	return exp.Shutdown(ctx)
}

// replayFile sends the batches of path from offset on and returns how many
// it sent. Progress is checkpointed when it returns.
func replayFile(ctx context.Context, exp *otlphttpexporter.Exporter, path string, offset int64, interval time.Duration, statePath string) int {
	f, err := os.Open(path)
	if err != nil {
		log.Fatalf("replay: open %s: %v", path, err)
	}
	defer f.Close()
	if _, err := f.Seek(offset, io.SeekStart); err != nil {
		log.Printf("replay: %s: seek to %d: %v", path, offset, err)
		return 0
	}
	abs, _ := filepath.Abs(path)
	prog := &progress{statePath: statePath, cp: checkpoint{File: abs, Offset: offset}}
	defer prog.save()

	ticker := time.NewTicker(interval)
	defer ticker.Stop()
	dec := json.NewDecoder(f)
	sent := 0
	for {
		var b pdata.Batch
		if err := dec.Decode(&b); err != nil {
			if !errors.Is(err, io.EOF) {
				log.Printf("replay: %s: batch %d: %v", path, sent+1, err)
			}
			return sent
		}
		select {
		case <-ctx.Done():
			return sent
		case <-ticker.C:
		}
		if err := exp.ConsumeTraces(ctx, b); err != nil {
			log.Fatalf("replay: %s: batch %d rejected: %v", path, sent+1, err) // HAZ exit-skips-defer
		}
		sent++
		prog.cp.Offset = offset + dec.InputOffset()
	}
}
