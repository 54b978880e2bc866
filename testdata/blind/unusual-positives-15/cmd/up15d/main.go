// Command up15d is the sync daemon: it mirrors the origin into the local
// store on a timer and serves the store over HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/up15/internal/api"
	"example.com/up15/internal/blob"
	"example.com/up15/internal/fetch"
	"example.com/up15/internal/index"
	"example.com/up15/internal/journal"
	"example.com/up15/internal/metrics"
)

type config struct {
	addr        string
	root        string
	journalDir  string
	origin      string
	paths       []string
	segmentSize int64
	interval    time.Duration
}

func parseFlags() config {
	var c config
	var paths string
	flag.StringVar(&c.addr, "addr", ":8080", "HTTP listen address")
	flag.StringVar(&c.root, "root", "/var/lib/up15", "store root")
	flag.StringVar(&c.journalDir, "journal", "/var/lib/up15/journal", "journal directory")
	flag.StringVar(&c.origin, "origin", "http://origin.internal", "origin base URL")
	flag.StringVar(&paths, "paths", "/index.json", "comma-separated origin paths to mirror")
	flag.Int64Var(&c.segmentSize, "segment-size", 64<<20, "journal segment size")
	flag.DurationVar(&c.interval, "interval", time.Minute, "sync interval")
	flag.Parse()
	for _, p := range strings.Split(paths, ",") {
		if p = strings.TrimSpace(p); p != "" {
			c.paths = append(c.paths, p)
		}
	}
	return c
}

func drainEvents(events <-chan api.Event, j *journal.Journal, lg *log.Logger) {
	for ev := range events {
		if err := j.Append(ev.Kind, ev.Key); err != nil {
			lg.Printf("journal %s %s: %v", ev.Kind, ev.Key, err)
		}
	}
}

func syncOnce(c *fetch.Client, st *blob.Store, paths []string) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	if !c.Reachable(ctx) {
		return errors.New("origin unreachable")
	}
	return c.Mirror(ctx, paths, st)
}

func main() {
	cfg := parseFlags()
	lg := log.New(os.Stderr, "up15d: ", log.LstdFlags)
	j, err := journal.Open(cfg.journalDir, cfg.segmentSize)
	if err != nil {
		lg.Fatalf("open journal: %v", err)
	}
	defer j.Close() // HAZ signal-skips-defer
	m := metrics.NewMeter()
	st, err := blob.NewStore(cfg.root, m)
	if err != nil {
		lg.Printf("open store: %v", err)
		return
	}
	srv := api.NewServer(index.New("main"), st, m, lg)
	go drainEvents(srv.Events(), j, lg)
	go func() {
		if err := http.ListenAndServe(cfg.addr, srv); err != nil {
			lg.Printf("http: %v", err)
		}
	}()
	client := fetch.NewClient(cfg.origin, 30*time.Second, lg)
	tick := time.NewTicker(cfg.interval)
	defer tick.Stop()
	for range tick.C {
		if err := syncOnce(client, st, cfg.paths); err != nil {
			lg.Printf("sync: %v", err)
		}
	}
}
