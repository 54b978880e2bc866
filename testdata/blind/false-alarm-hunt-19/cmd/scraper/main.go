// Command scraper pulls metrics from the configured targets, appends them
// to a local sample log and serves its own metrics.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/fah19/internal/monitor"
	"example.com/fah19/internal/storage"
)

func loadTargets(path string) ([]monitor.Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var targets []monitor.Target
	if err := json.Unmarshal(data, &targets); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(targets) == 0 {
		return nil, fmt.Errorf("%s: no targets", path)
	}
	return targets, nil
}

// sampleSink appends each scraped batch to the sample log.
func sampleSink(wal *storage.WAL, scraped *monitor.Counter) func([]monitor.Sample) {
	return func(samples []monitor.Sample) {
		for _, s := range samples {
			rec := fmt.Sprintf("%d %s %s %g", time.Now().UnixMilli(), s.Target, s.Name, s.Value)
			if err := wal.Append([]byte(rec)); err != nil {
				log.Printf("scraper: append: %v", err)
				return
			}
			scraped.Inc()
		}
	}
}

func main() {
	listen := flag.String("listen", ":9090", "address for /metrics")
	targetsPath := flag.String("targets", "targets.json", "JSON list of targets")
	dataDir := flag.String("data", "scraper-data", "directory for the sample log")
	interval := flag.Duration("interval", 15*time.Second, "scrape interval")
	flag.Parse()

	targets, err := loadTargets(*targetsPath)
	if err != nil {
		log.Fatalf("scraper: %v", err)
	}
	wal, err := storage.OpenWAL(filepath.Join(*dataDir, "samples"), 256)
	if err != nil {
		log.Fatalf("scraper: %v", err)
	}
	defer func() {
		if err := wal.Close(); err != nil {
			log.Printf("scraper: closing sample log: %v", err)
		}
	}()

	reg := monitor.NewRegistry()
	var scraped monitor.Counter
	if err := reg.Register("scraper_samples_total", "Samples appended to the log.", &scraped); err != nil {
		log.Printf("scraper: %v", err)
		return
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sc := monitor.NewScraper(targets, 5*time.Second, *interval)
	go sc.Run(ctx, sampleSink(wal, &scraped))

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", reg)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("scraper: %d targets, serving on %s", len(targets), *listen)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("scraper: %v", err)
	}
}
