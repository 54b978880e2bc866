// Command up6batch runs the nightly balance jobs.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/up6/internal/export"
	"example.com/up6/internal/runner"
	"example.com/up6/internal/store"
)

func main() {
	os.Exit(run())
}

func run() int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	fs := flag.NewFlagSet("up6batch", flag.ContinueOnError)
	dir := fs.String("dir", ".", "store directory")
	out := fs.String("out", "balances.csv.gz", "export file")
	profile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	fs.Usage = func() {
		fmt.Fprintln(os.Stderr, "usage: up6batch [-dir DIR] [-out FILE] [-cpuprofile FILE]")
		fs.PrintDefaults()
		os.Exit(2)
	}
	if err := fs.Parse(os.Args[1:]); err != nil {
		return 2
	}

	cfg := runner.Config{Name: "nightly", CPUProfile: *profile, Timeout: time.Hour}
	err := runner.Profiled(ctx, cfg, func(ctx context.Context) error {
		return exportBalances(ctx, *dir, *out)
	})
	if err != nil {
		fmt.Fprintf(os.Stderr, "up6batch: %v\n", err)
		return 1
	}
	return 0
}

func exportBalances(ctx context.Context, dir, out string) error {
	st, err := store.Open(dir)
	if err != nil {
		return err
	}
	snap := st.Snapshot()
	rows := make([]export.Row, 0, len(snap.Data))
	now := time.Now()
	for k, v := range snap.Data {
		if err := ctx.Err(); err != nil {
			return err
		}
		rows = append(rows, export.Row{Key: k, Value: v, At: now})
	}
	if err := st.WriteManifest(filepath.Dir(out)); err != nil {
		return err
	}
	return export.WriteGzipCSV(out, rows)
}
