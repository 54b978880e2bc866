// Command crawler runs a polite crawl from a list of seeds and writes the
// fetched pages to size-rotated WARC segments. SIGINT or SIGTERM stops the
// dispatch of new fetches; fetches in flight are drained and archived.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"runtime/pprof"
	"strings"
	"syscall"
	"time"

	"example.com/crawler/internal/crawler"
	"example.com/crawler/internal/stats"
)

func main() {
	os.Exit(run(os.Args[1:]))
}

func run(args []string) int {
	fs := flag.NewFlagSet("crawler", flag.ContinueOnError)
	var cfg crawler.Config
	seeds := fs.String("seeds", "", "comma-separated seed URLs")
	fs.StringVar(&cfg.SeedFile, "seed-file", "", "file with one seed URL per line")
	fs.StringVar(&cfg.ExtraSeeds, "extra-seeds", "", "optional second seed file")
	fs.IntVar(&cfg.Workers, "workers", 8, "number of fetch workers")
	fs.IntVar(&cfg.MaxDepth, "depth", 3, "maximum link depth")
	fs.Int64Var(&cfg.MaxPages, "max-pages", 0, "stop after this many pages (0: no limit)")
	fs.DurationVar(&cfg.HostDelay, "host-delay", 2*time.Second, "minimum delay between requests to one host")
	fs.StringVar(&cfg.OutDir, "out", "warc", "output directory")
	fs.StringVar(&cfg.StateDir, "state", "state", "state directory (frontier, robots cache)")
	fs.Int64Var(&cfg.SegmentSize, "segment-size", 1<<30, "rotate WARC segments at this size")
	fs.DurationVar(&cfg.DrainTimeout, "drain", 30*time.Second, "time given to in-flight fetches on stop")
	fs.StringVar(&cfg.Webhook, "webhook", "", "URL to POST a summary to when the crawl ends")
	statsAddr := fs.String("stats", "127.0.0.1:8081", "stats server address")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to this file")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	cfg.Seeds = splitList(*seeds)
	logger := log.New(os.Stderr, "crawler: ", log.LstdFlags)

	stopProfile := func() {}
	defer stopProfile() // HAZ defer-eager-evaluation
	if *cpuProfile != "" {
		stopCPU, err := startProfile(*cpuProfile)
		if err != nil {
			logger.Print(err)
			return 1
		}
		stopProfile = stopCPU
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	c, err := crawler.New(cfg, logger)
	if err != nil {
		logger.Print(err)
		return 1
	}
	c.OnStageDone("seed", func() { logger.Print("seeding finished") })
	c.OnStageDone("crawl", func() { logger.Printf("crawl finished: %d pages", c.Stats().Counter("pages")) })
	srv := stats.NewServer(*statsAddr, c.Stats(), c.Robots(), logger)
	go func() {
		if err := srv.Run(ctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("stats server: %v", err)
		}
	}()
	if err := c.Run(ctx); err != nil {
		logger.Printf("crawl: %v", err)
		return 1
	}
	if err := c.Finalize(); err != nil {
		logger.Printf("finalize: %v", err)
		return 1
	}
	return 0
}

// startProfile starts CPU profiling into path and returns the function that
// stops it and closes the file.
func startProfile(path string) (func(), error) {
	f, err := os.Create(path)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("cpuprofile: %w", err)
	}
	return func() {
		pprof.StopCPUProfile()
		if err := f.Close(); err != nil {
			log.Printf("cpuprofile: %v", err)
		}
	}, nil
}

// splitList splits a comma-separated flag value, dropping empty items.
func splitList(s string) []string {
	var out []string
	for _, part := range strings.Split(s, ",") {
		if part = strings.TrimSpace(part); part != "" {
			out = append(out, part)
		}
	}
	return out
}
