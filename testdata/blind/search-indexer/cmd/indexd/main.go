// Command indexd is the indexing daemon: it accepts documents over HTTP and
// from spool files, flushes the memtable into segments, merges segments in
// the background and serves queries.
package main

import (
	"context"
	"flag"
	"log"
	"os"
	"path/filepath"
	"time"

	"example.com/searchindexer/internal/api"
	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/ingest"
	"example.com/searchindexer/internal/merge"
	"example.com/searchindexer/internal/query"
	"example.com/searchindexer/internal/segment"
	"example.com/searchindexer/internal/snapshot"
	"example.com/searchindexer/internal/textproc"
	"example.com/searchindexer/internal/trace"
)

type config struct {
	addr      string
	dataDir   string
	spool     string
	fsync     bool
	workers   int
	cacheSize int
}

func parseFlags() config {
	var c config
	flag.StringVar(&c.addr, "addr", ":8080", "listen address")
	flag.StringVar(&c.dataDir, "data", "./data", "index directory")
	flag.StringVar(&c.spool, "spool", "", "directory of JSON-lines files to ingest at startup")
	flag.BoolVar(&c.fsync, "fsync", true, "fsync segments and the manifest")
	flag.IntVar(&c.workers, "workers", 4, "ingestion workers")
	flag.IntVar(&c.cacheSize, "cache", 4096, "query cache entries")
	flag.Parse()
	return c
}

func openSegments(dir string) ([]segment.Meta, []*segment.Reader, error) {
	metas, err := segment.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	readers, err := segment.LoadAll(metas)
	if err != nil {
		return nil, nil, err
	}
	return metas, readers, nil
}

func spoolFiles(dir string) ([]string, error) {
	if dir == "" {
		return nil, nil
	}
	paths, err := filepath.Glob(filepath.Join(dir, "*.jsonl*"))
	if err != nil {
		return nil, err
	}
	return paths, nil
}

func main() {
	cfg := parseFlags()
	logger := log.New(os.Stderr, "indexd ", log.LstdFlags|log.Lmicroseconds)
	if err := os.MkdirAll(cfg.dataDir, 0o755); err != nil {
		logger.Fatalf("data dir: %v", err)
	}
	lock, err := segment.LockDir(cfg.dataDir)
	if err != nil {
		logger.Fatalf("lock: %v", err)
	}
	defer lock.Release()

	metas, readers, err := openSegments(cfg.dataDir)
	if err != nil {
		logger.Printf("open segments: %v", err)
		return
	}
	analyzer := textproc.NewAnalyzer()
	mem := index.NewMemIndex(analyzer)
	eng := query.NewEngine(mem, readers, trace.Default(), logger, cfg.cacheSize)
	defer eng.Close()

	w := segment.NewWriter(cfg.dataDir, segment.MaxID(metas), cfg.fsync, logger)
	merger := merge.New(merge.DefaultPolicy(), eng, w, os.TempDir(), logger)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	merger.Start(ctx)

	snaps := snapshot.NewManager(cfg.dataDir, logger)
	snaps.Publish(eng.Segments())
	pipe := ingest.NewPipeline(mem, cfg.workers, 256, logger)
	if paths, err := spoolFiles(cfg.spool); err != nil {
		logger.Printf("spool: %v", err)
	} else if err := pipe.IngestFilesAll(paths); err != nil {
		logger.Printf("spool: %v", err)
	}

	srv := api.NewServer(eng, mem, pipe, analyzer, snaps, logger)
	go srv.FlushLoop(ctx, w, func(segment.Meta) {
		if err := w.PublishManifest(eng.Segments()); err != nil {
			logger.Printf("manifest: %v", err)
		}
		snaps.Publish(eng.Segments())
		merger.Trigger()
	})
	go merge.NewJanitor(cfg.dataDir, 10*time.Minute, time.Hour, logger).RunContext(ctx)

	httpSrv := api.NewHTTPServer(cfg.addr, srv.Handler())
	logger.Printf("listening on %s, %d segments", cfg.addr, len(metas))
	if err := httpSrv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
