// Command up8-gc removes expired releases from an artifact tree.
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

	"example.com/up8/internal/archive"
	"example.com/up8/internal/fsutil"
)

func main() {
	os.Exit(run())
}

// run does the work of main and returns the exit status, so that its
// deferred calls run before the process exits.
func run() int {
	root := flag.String("root", ".", "artifact tree")
	keep := flag.Duration("keep", 30*24*time.Hour, "keep releases younger than this")
	dry := flag.Bool("n", false, "only print what would be removed")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	report, err := fsutil.Create(filepath.Join(*root, "gc-report.txt"))
	if err != nil {
		fmt.Fprintln(os.Stderr, "up8-gc:", err)
		return 1
	}
	defer report.Close()

	removed, err := collect(ctx, *root, *keep, *dry, report)
	if err != nil {
		fmt.Fprintln(os.Stderr, "up8-gc:", err)
		return 1
	}
	if err := report.Close(); err != nil {
		fmt.Fprintln(os.Stderr, "up8-gc: report:", err)
		return 1
	}
	fmt.Printf("up8-gc: %d releases removed\n", removed)
	return 0
}

// collect removes the releases under root older than keep and lists them in
// report.
func collect(ctx context.Context, root string, keep time.Duration, dry bool, report *os.File) (int, error) {
	entries, err := os.ReadDir(root)
	if err != nil {
		return 0, err
	}
	cutoff := time.Now().Add(-keep)
	removed := 0
	for _, e := range entries {
		if ctx.Err() != nil {
			return removed, ctx.Err()
		}
		if !e.IsDir() {
			continue
		}
		dir := filepath.Join(root, e.Name())
		info, err := e.Info()
		if err != nil || info.ModTime().After(cutoff) {
			continue
		}
		m, err := archive.ReadManifestCompat(dir)
		if err != nil {
			continue
		}
		if _, err := fmt.Fprintf(report, "%s\t%s\t%d files\n", dir, m.Release, len(m.Files)); err != nil {
			return removed, err
		}
		if !dry {
			if err := os.RemoveAll(dir); err != nil {
				return removed, err
			}
		}
		removed++
	}
	return removed, nil
}
