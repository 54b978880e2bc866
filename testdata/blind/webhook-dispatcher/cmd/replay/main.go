// Command replay re-sends archived deliveries of an incident window.
//
//	replay -manifest INC-42/manifest.json -tenant acme
//	replay -since 2024-03-01T02:10:00Z -until 2024-03-01T03:40:00Z -archives /var/lib/webhooks/archive
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/webhooks/internal/breaker"
	"example.com/webhooks/internal/delivery"
	"example.com/webhooks/internal/metrics"
	"example.com/webhooks/internal/replay"
)

func main() {
	if err := run(os.Args[1:], os.Stderr); err != nil {
		fmt.Fprintln(os.Stderr, "replay:", err)
		os.Exit(1)
	}
}

// usage prints the flag help and exits.
func usage(fs *flag.FlagSet) {
	fs.Usage()
	os.Exit(2)
}

func run(args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("replay", flag.ContinueOnError)
	fs.SetOutput(stderr)
	manifest := fs.String("manifest", "", "incident manifest listing the archives")
	archives := fs.String("archives", "", "archive directory (with -since/-until)")
	since := fs.String("since", "", "start of the window, RFC 3339")
	until := fs.String("until", "", "end of the window, RFC 3339")
	tenant := fs.String("tenant", "", "only this tenant")
	event := fs.String("event", "", "only this event type")
	dryRun := fs.Bool("dry-run", false, "list what would be sent")
	spacing := fs.Duration("spacing", 50*time.Millisecond, "pause between sends")
	lockPath := fs.String("lock", "/tmp/webhooks-replay.lock", "lock file")
	noLock := fs.Bool("no-lock", false, "do not take the lock file")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return err
	}
	if *manifest == "" && *archives == "" {
		usage(fs)
	}

	filter := replay.Filter{Tenant: *tenant, Event: *event}
	paths, err := resolvePaths(*manifest, *archives, *since, *until, &filter)
	if err != nil {
		return err
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	release := func() {}
	if !*noLock {
		lock, err := replay.AcquireLock(*lockPath)
		if err != nil {
			return err
		}
		release = func() {
			if err := lock.Release(); err != nil {
				fmt.Fprintln(stderr, "replay:", err)
			}
		}
	}
	defer release()

	logger := log.New(stderr, "", log.LstdFlags)
	sender := delivery.NewSender(&http.Client{Timeout: 15 * time.Second}, breaker.NewSet(3, time.Minute),
		metrics.New(), logger, delivery.Options{MaxAttempts: 3})
	r := replay.New(sender, replay.Options{Filter: filter, DryRun: *dryRun, Spacing: *spacing}, metrics.New(), logger)
	defer logger.Printf("replay: %d source files", len(paths))
	_, err = r.RunAndReport(ctx, paths)
	return err
}

// resolvePaths turns the command line into the list of archives and
// narrows the filter to the time window.
func resolvePaths(manifest, archives, since, until string, filter *replay.Filter) ([]string, error) {
	if manifest != "" {
		m, err := replay.LoadManifest(manifest)
		if err != nil {
			return nil, err
		}
		return m.Files, nil
	}
	from, err := time.Parse(time.RFC3339, since)
	if err != nil {
		return nil, fmt.Errorf("-since: %w", err)
	}
	to, err := time.Parse(time.RFC3339, until)
	if err != nil {
		return nil, fmt.Errorf("-until: %w", err)
	}
	if !to.After(from) {
		return nil, fmt.Errorf("-until must be after -since")
	}
	filter.Since, filter.Until = from, to
	return replay.ListArchives(archives, from, to)
}
