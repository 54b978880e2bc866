package main

import (
	"flag"
	"log"
	"time"

	"example.com/up12/internal/spool"
)

type config struct {
	addr         string
	spoolDir     string
	services     string
	upstream     string
	items        int
	segBytes     int64
	compactEvery time.Duration
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.addr, "addr", ":8412", "HTTP listen address")
	flag.StringVar(&c.spoolDir, "spool", "/var/spool/up12", "spool directory")
	flag.StringVar(&c.services, "services", "/etc/up12/services", "services file")
	flag.StringVar(&c.upstream, "upstream", "", "collector host:port")
	flag.IntVar(&c.items, "items", 4096, "cache size in entries")
	flag.Int64Var(&c.segBytes, "segment-bytes", 64<<20, "segment size")
	flag.DurationVar(&c.compactEvery, "compact-every", 10*time.Minute, "compaction interval")
	flag.Parse()
	return c
}

// compactLoop compacts the spool periodically for the life of the process.
func compactLoop(logger *log.Logger, sp *spool.Spool, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		n, err := sp.CompactNow()
		if err != nil {
			logger.Printf("compact: %v", err)
			continue
		}
		if n > 0 {
			logger.Printf("compact: merged %d pairs", n)
		}
	}
}
