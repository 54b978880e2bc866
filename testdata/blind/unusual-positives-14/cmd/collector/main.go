// Command collector scrapes TCP targets on a schedule and logs the counters.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/up14/internal/worker"
)

func main() {
	pidPath := flag.String("pidfile", filepath.Join(os.TempDir(), "collector.pid"), "pid file")
	every := flag.Duration("every", 10*time.Second, "scrape and report interval")
	flag.Parse()

	if err := os.WriteFile(*pidPath, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		fmt.Fprintf(os.Stderr, "collector: write pid file: %v\n", err)
		os.Exit(1)
	}
	defer os.Remove(*pidPath)

	logger := log.New(os.Stderr, "collector: ", log.LstdFlags|log.Lmsgprefix)
	stats := worker.NewStats()
	srv := worker.NewServer(logger, 128, stats)
	srv.Start(context.Background())

	go schedule(srv, *every, flag.Args(), logger)
	go report(stats, *every, logger)
	select {} // HAZ signal-skips-defer
}

func schedule(srv *worker.Server, every time.Duration, targets []string, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		for _, target := range targets {
			j := worker.Job{
				ID:       "scrape " + target,
				Deadline: time.Now().Add(every),
				Run:      func(ctx context.Context) error { return scrape(ctx, target) },
			}
			ctx, cancel := context.WithTimeout(context.Background(), time.Second)
			err := srv.Submit(ctx, j)
			cancel()
			if err != nil {
				logger.Printf("queue full, skipping %s", target)
			}
		}
	}
}

func scrape(ctx context.Context, target string) error {
	var d net.Dialer
	conn, err := d.DialContext(ctx, "tcp", target)
	if err != nil {
		return err
	}
	return conn.Close()
}

func report(stats *worker.Stats, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		snap, err := stats.Query(ctx)
		cancel()
		if err != nil {
			logger.Printf("stats: %v", err)
			continue
		}
		logger.Printf("jobs=%d failures=%d since=%s", snap.Jobs, snap.Failures, snap.Since.Format(time.RFC3339))
	}
}
