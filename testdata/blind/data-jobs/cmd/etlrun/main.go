// Command etlrun converts a CSV file to JSON lines and writes a run report.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"example.com/etl/csvio"
	"example.com/etl/fsutil"
	"example.com/etl/parallel"
	"example.com/etl/progress"
	"example.com/etl/report"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "etlrun:", err)
		os.Exit(1)
	}
}

func run(args []string, logw io.Writer) error {
	fs := flag.NewFlagSet("etlrun", flag.ContinueOnError)
	inDir := fs.String("in", "", "directory of input CSV files")
	outDir := fs.String("out", "", "output directory")
	reportPath := fs.String("report", "", "report file (default <out>/report.txt)")
	workers := fs.Int("workers", 4, "concurrent files")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *inDir == "" || *outDir == "" {
		return errors.New("-in and -out are required")
	}
	if *reportPath == "" {
		*reportPath = filepath.Join(*outDir, "report.txt")
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	release, err := fsutil.LockFile(filepath.Join(*outDir, ".etlrun.lock"))
	if err != nil {
		return err
	}
	defer release()

	inputs, err := filepath.Glob(filepath.Join(*inDir, "*.csv"))
	if err != nil {
		return err
	}

	tracker := progress.NewTracker()
	defer tracker.Close() // ok: Close is idempotent
	col := report.NewCollector("etlrun " + filepath.Base(*inDir))
	updates := tracker.Subscribe(256)
	done := make(chan struct{})
	go func() {
		defer close(done)
		col.Consume(ctx, updates)
	}()

	if err := tracker.Add("convert", int64(len(inputs))); err != nil {
		return err
	}
	t := csvio.Chain(csvio.TrimSpace(), csvio.Require("id"))
	results := parallel.Map(ctx, inputs, *workers, func(ctx context.Context, path string) (int64, error) {
		if err := ctx.Err(); err != nil {
			return 0, err
		}
		dst := filepath.Join(*outDir, trimExt(filepath.Base(path))+".jsonl")
		n, err := csvio.ConvertFile(path, dst, t)
		tracker.Advance("convert", 1)
		return int64(n), err
	})
	runErr := parallel.Errors(results)
	if runErr != nil {
		tracker.Fail("convert", runErr)
		col.Note("%v", runErr)
	}
	for _, r := range results {
		if r.Err == nil {
			fmt.Fprintf(logw, "%s: %d records\n", r.Path, r.N)
		}
	}

	tracker.Close()
	<-done
	if err := report.WriteFile(*reportPath, col.Report()); err != nil {
		return errors.Join(runErr, err)
	}
	return runErr
}

func trimExt(name string) string {
	return name[:len(name)-len(filepath.Ext(name))]
}
