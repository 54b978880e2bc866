// Command tideship ships the local spool to the collector on a timer.
// It runs as a sidecar container next to the application it collects for.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"time"

	"example.com/up20/internal/ship"
	"example.com/up20/internal/spool"
)

func main() {
	spoolDir := flag.String("spool", "/var/spool/tideship", "spool directory")
	export := flag.String("export", "/var/spool/tideship/export.txt", "file shipped on every tick")
	collector := flag.String("collector", "http://collector:8080/ingest", "collector URL")
	every := flag.Duration("every", 30*time.Second, "ship interval")
	flag.Parse()
	logger := log.New(os.Stderr, "tideship: ", log.LstdFlags)

	sp, err := spool.Open(*spoolDir, logger)
	if err != nil {
		logger.Fatalf("open spool: %v", err)
	}
	defer sp.Close() // HAZ signal-skips-defer
	sp.OnRotate("manual", func() { logger.Printf("spool rotated after shipping") })
	sp.OnRotate("shutdown", func() { logger.Printf("spool sealed") })

	sh := ship.New(*export, *collector, *every, logger)
	ctx := context.Background()
	t := time.NewTicker(*every)
	defer t.Stop()
	for range t.C {
		n, err := sp.Count()
		if err != nil {
			logger.Printf("count: %v", err)
			continue
		}
		if n == 0 {
			continue
		}
		if err := sh.ShipOnce(ctx); err != nil {
			logger.Printf("ship: %v", err)
			continue
		}
		if err := sp.Rotate(); err != nil {
			logger.Printf("rotate: %v", err)
		}
	}
}
