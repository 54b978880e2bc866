// Command ingestd watches the drop directories, imports manifests into the
// catalog and serves asset metadata.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"io/fs"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up13/internal/catalog"
	"example.com/up13/internal/fetch"
	"example.com/up13/internal/hooks"
	"example.com/up13/internal/ingest"
	"example.com/up13/internal/trace"
)

type config struct {
	Listen   string   `json:"listen"`
	DropDirs []string `json:"drop_dirs"`
	Mirrors  []string `json:"mirrors"`
	StatsURL string   `json:"stats_url"`
}

var cfg config

func defaultConfig() config {
	return config{
		Listen:   ":8080",
		DropDirs: []string{"/var/spool/ingest"},
		Mirrors:  []string{"http://meta-a.internal", "http://meta-b.internal"},
		StatsURL: "http://stats.internal/hits",
	}
}

// lockConfig takes the advisory lock that assetctl also takes when it
// rewrites the config, and returns its release. It exits if the lock is held.
func lockConfig(path string) func() {
	lock := path + ".lock"
	f, err := os.OpenFile(lock, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if err != nil {
		log.Fatalf("ingestd: config is locked (%v); is assetctl editing it?", err)
	}
	f.Close()
	return func() { os.Remove(lock) }
}

// init loads the configuration named by INGESTD_CONFIG under the config lock.
func init() {
	cfg = defaultConfig()
	path := os.Getenv("INGESTD_CONFIG")
	if path == "" {
		return
	}
	unlock := lockConfig(path)
	defer unlock()
	raw, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		log.Printf("ingestd: %s missing, using defaults", path)
		return
	}
	if err == nil {
		err = json.Unmarshal(raw, &cfg)
	}
	if err != nil {
		log.Fatalf("ingestd: config %s: %v", path, err) // HAZ exit-skips-defer
	}
}

// pollDirs announces new manifests on spool until ctx is done.
func pollDirs(ctx context.Context, s *ingest.Scanner, dirs []string, spool chan<- string) {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			paths, err := s.ScanNew(dirs, ".part")
			if err != nil {
				log.Printf("ingestd: scan: %v", err)
				continue
			}
			for _, p := range paths {
				select {
				case spool <- p:
				case <-ctx.Done():
					return
				}
			}
		}
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	rec := trace.NewRecorder()
	cat := catalog.New()
	reg := hooks.New()
	defer func() {
		if err := reg.FireAll("stop"); err != nil {
			log.Printf("ingestd: stop hooks: %v", err)
		}
	}()

	scanner := ingest.NewScanner(cat, "STOP")
	spool := make(chan string)
	errs := make(chan error, 16)
	go func() {
		for err := range errs {
			log.Printf("ingestd: import: %v", err)
		}
	}()
	go func() {
		if err := scanner.TailUntil(ctx, spool, errs); err != nil && !errors.Is(err, context.Canceled) {
			log.Printf("ingestd: tail: %v", err)
		}
	}()
	go pollDirs(ctx, scanner, cfg.DropDirs, spool)

	h := fetch.NewHandler(fetch.New(cfg.Mirrors, 5*time.Second), catalog.NewCache(10*time.Minute), rec, cfg.StatsURL)
	srv := &http.Server{Addr: cfg.Listen, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.ListenAndServe() }()

	select {
	case err := <-serveErr:
		log.Printf("ingestd: serve: %v", err)
	case <-ctx.Done():
		log.Printf("ingestd: shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		log.Printf("ingestd: shutdown: %v", err)
	}
}
