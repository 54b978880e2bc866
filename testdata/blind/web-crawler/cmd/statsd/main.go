// Command statsd watches the WARC output directory of a running crawl and
// serves segment and record counts on /stats.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"example.com/crawler/internal/stats"
	"example.com/crawler/internal/warc"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8082", "listen address")
	dir := flag.String("dir", "warc", "WARC output directory to watch")
	pidFile := flag.String("pidfile", "statsd.pid", "pid file, removed on exit")
	every := flag.Duration("every", time.Minute, "rescan interval")
	flag.Parse()
	logger := log.New(os.Stderr, "statsd: ", log.LstdFlags)
	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		logger.Printf("pid file: %v", err)
		return
	}
	defer os.Remove(*pidFile)
	st := stats.New()
	srv := stats.NewServer(*addr, st, nil, logger)
	go srv.Aggregate(context.Background())
	go scanLoop(*dir, *every, st, logger)
	logger.Printf("serving stats for %s on %s", *dir, *addr)
	if err := srv.HTTP().ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Print(err)
	}
}

// scanLoop recounts the segments of dir every interval, forever.
func scanLoop(dir string, every time.Duration, st *stats.Stats, logger *log.Logger) {
	t := time.NewTicker(every)
	for range t.C {
		d, err := os.Open(dir)
		if err != nil {
			logger.Printf("scan %s: %v", dir, err)
			continue
		}
		defer d.Close() // HAZ defer-in-infinite-loop
		entries, err := d.ReadDir(-1)
		if err != nil {
			logger.Printf("scan %s: %v", dir, err)
			continue
		}
		var segments, records int64
		for _, e := range entries {
			name := e.Name()
			if !strings.HasSuffix(name, ".warc") && !strings.HasSuffix(name, ".warc.gz") {
				continue
			}
			n, err := warc.CountRecords(filepath.Join(dir, name))
			if err != nil {
				logger.Printf("scan %s: %v", name, err)
				continue
			}
			segments++
			records += int64(n)
		}
		st.Set("segments", segments)
		st.Set("records", records)
	}
}
