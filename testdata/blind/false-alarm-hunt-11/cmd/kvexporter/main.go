// Command kvexporter scrapes kvd replicas and re-exports their metrics
// together with per-target scrape counters.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"log"
	"net/http"
	"os"
	"sort"
	"sync"
	"time"

	"example.com/fah11/internal/scrape"
	"example.com/fah11/internal/wal"
)

func main() {
	listen := flag.String("listen", ":9109", "address to serve /metrics on")
	targetsFile := flag.String("targets", "targets.json", "JSON list of scrape targets")
	stateFile := flag.String("state", "kvexporter-state.json", "where scrape counters persist across restarts")
	dumpFile := flag.String("dump", "", "if set, write every scrape to this file for debugging")
	flag.Parse()

	targets, err := loadTargets(*targetsFile)
	if err != nil {
		log.Fatalf("kvexporter: %v", err)
	}
	scraper := scrape.NewScraper(&http.Client{Timeout: 10 * time.Second}, 5*time.Second, log.Default())
	coll := newCollector(scraper, targets)
	coll.dumpPath = *dumpFile
	if err := coll.restore(*stateFile); err != nil {
		log.Printf("kvexporter: starting with empty state: %v", err)
	}
	defer func() {
		if err := coll.save(*stateFile); err != nil {
			log.Printf("kvexporter: saving state: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", coll)
	srv := &http.Server{Addr: *listen, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("kvexporter: serving on %s", *listen)
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("kvexporter: %v", err)
	}
}

func loadTargets(path string) ([]scrape.Target, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var targets []scrape.Target
	if err := json.Unmarshal(data, &targets); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return targets, nil
}

type collector struct {
	scraper  *scrape.Scraper
	targets  []scrape.Target
	dumpPath string

	mu      sync.Mutex
	scrapes map[string]int64
}

func newCollector(s *scrape.Scraper, targets []scrape.Target) *collector {
	return &collector{scraper: s, targets: targets, scrapes: make(map[string]int64)}
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	samples := c.scraper.ScrapeAll(r.Context(), c.targets)
	sort.Slice(samples, func(i, j int) bool { return samples[i].Name < samples[j].Name })
	if c.dumpPath != "" {
		if err := dumpSamples(c.dumpPath, samples); err != nil {
			log.Printf("kvexporter: dump: %v", err)
		}
	}

	c.mu.Lock()
	for _, s := range samples {
		c.scrapes[s.Target]++
	}
	counts := make(map[string]int64, len(c.scrapes))
	for k, v := range c.scrapes {
		counts[k] = v
	}
	c.mu.Unlock()

	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	for _, s := range samples {
		fmt.Fprintf(w, "%s{target=%q} %g\n", s.Name, s.Target, s.Value)
	}
	for target, n := range counts {
		fmt.Fprintf(w, "kvexporter_samples_total{target=%q} %d\n", target, n)
	}
}

// dumpSamples writes one scrape to path, one sample per line.
func dumpSamples(path string, samples []scrape.Sample) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	bw := bufio.NewWriter(f)
	defer bw.Flush() // HAZ defer-close-unchecked-write

	for _, s := range samples {
		if _, err := fmt.Fprintf(bw, "%s %s %g\n", s.Target, s.Name, s.Value); err != nil {
			return err
		}
	}
	return nil
}

func (c *collector) restore(path string) error {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	return json.Unmarshal(data, &c.scrapes)
}

func (c *collector) save(path string) error {
	c.mu.Lock()
	data, err := json.Marshal(c.scrapes)
	c.mu.Unlock()
	if err != nil {
		return err
	}
	return wal.WriteFileAtomic(path, data, 0o644)
}
