// Command pipeline runs one batch: convert the CSV exports of an inbox
// directory to JSON lines, stage them with their digests and upload them.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/filepipeline/internal/convert"
	"example.com/filepipeline/internal/fsutil"
	"example.com/filepipeline/internal/staging"
	"example.com/filepipeline/internal/walk"
)

type config struct {
	inbox   string
	stage   string
	ingest  string
	token   string
	batch   string
	workers int
	timeout time.Duration
}

func parseFlags(args []string) (config, error) {
	var c config
	fs := flag.NewFlagSet("pipeline", flag.ContinueOnError)
	fs.StringVar(&c.inbox, "inbox", "inbox", "directory with the CSV exports")
	fs.StringVar(&c.stage, "stage", "stage", "staging directory")
	fs.StringVar(&c.ingest, "ingest", "https://ingest.example.com/v1", "ingest service URL")
	fs.StringVar(&c.batch, "batch", time.Now().UTC().Format("20060102T150405"), "batch name")
	fs.IntVar(&c.workers, "workers", 4, "parallel uploads")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Minute, "overall deadline")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	c.token = os.Getenv("INGEST_TOKEN")
	if c.token == "" {
		return c, errors.New("INGEST_TOKEN is not set")
	}
	return c, nil
}

func main() {
	os.Exit(realMain())
}

func realMain() int {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		fmt.Fprintln(os.Stderr, "pipeline:", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()

	if err := run(ctx, cfg); err != nil {
		log.Printf("pipeline: %v", err)
		return 1
	}
	return 0
}

func run(ctx context.Context, cfg config) error {
	return fsutil.Locked(filepath.Join(cfg.stage, ".pipeline.lock"), func() error {
		st, err := staging.NewStager(cfg.stage, false, log.Default())
		if err != nil {
			return err
		}
		if err := convertInbox(ctx, cfg.inbox, st); err != nil {
			return err
		}
		if _, err := st.WriteManifest(); err != nil {
			return err
		}
		up := staging.NewUploader(cfg.ingest, cfg.token, time.Minute, log.Default())
		return st.Commit(func([]staging.Part) error {
			return up.UploadMissing(ctx, cfg.batch, st, cfg.workers)
		})
	})
}

// convertInbox converts each CSV file and stages the result.
func convertInbox(ctx context.Context, inbox string, st *staging.Stager) error {
	for path := range walk.Paths(walk.Matching(walk.Files(inbox), "*.csv")) {
		if err := ctx.Err(); err != nil {
			return err
		}
		dst := filepath.Join(st.Dir(), filepath.Base(path)+".jsonl.tmp")
		n, err := convert.CSVToJSONL(path, dst)
		if err != nil {
			return fmt.Errorf("convert %s: %w", path, err)
		}
		log.Printf("converted %s: %d records", path, n)
		if _, err := st.StageFile(dst); err != nil {
			return err
		}
		if err := os.Remove(dst); err != nil {
			return err
		}
	}
	return nil
}
