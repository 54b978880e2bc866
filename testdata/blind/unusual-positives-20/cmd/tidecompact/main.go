// Command tidecompact rebuilds the index from the archives and prunes
// expired entries. The exit status is set by a deferred os.Exit that is
// registered first, so it runs after every other deferred call.
package main

import (
	"flag"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/up20/internal/index"
	"example.com/up20/internal/metrics"
	"example.com/up20/internal/pipeline"
	"example.com/up20/internal/segment"
)

func main() {
	code := 0
	defer func() { os.Exit(code) }()

	archives := flag.String("archives", "/var/lib/tidepool/archives", "archive directory")
	segDir := flag.String("segments", "/var/lib/tidepool/segments", "segment directory")
	flag.Parse()
	logger := log.New(os.Stderr, "tidecompact: ", log.LstdFlags)

	rec := metrics.NewRecorder()
	defer printSummary(rec)
	p := pipeline.New(segment.NewDir(*segDir), *archives, index.New(logger), rec, pipeline.NewAudit(os.Stderr), logger)

	paths, err := filepath.Glob(filepath.Join(*archives, "*.tpa.gz"))
	if err != nil {
		logger.Printf("glob: %v", err)
		code = 1
		return
	}
	if err := p.Reindex(paths); err != nil {
		logger.Printf("reindex: %v", err)
		code = 1
		return
	}
	logger.Printf("pruned %d entries", p.Prune(time.Now()))
}

// printSummary writes the timing summary to stderr.
func printSummary(rec *metrics.Recorder) {
	for _, name := range rec.Names() {
		n, p50, maxD := rec.Summary(name)
		fmt.Fprintf(os.Stderr, "%-24s n=%-4d p50=%-10s max=%s\n", name, n, p50, maxD)
	}
}
