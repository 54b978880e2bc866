// Command searchd is a read-only query replica: it opens the segments of a
// shared index directory, reloads the manifest periodically, warms its cache
// from the query log and serves /search.
package main

import (
	"bufio"
	"context"
	"flag"
	"log"
	"os"
	"time"

	"example.com/searchindexer/internal/api"
	"example.com/searchindexer/internal/index"
	"example.com/searchindexer/internal/ingest"
	"example.com/searchindexer/internal/query"
	"example.com/searchindexer/internal/segment"
	"example.com/searchindexer/internal/snapshot"
	"example.com/searchindexer/internal/textproc"
	"example.com/searchindexer/internal/trace"
)

func loadEngine(dir string, cacheSize int, logger *log.Logger) (*query.Engine, *index.MemIndex, error) {
	metas, err := segment.ReadManifest(dir)
	if err != nil {
		return nil, nil, err
	}
	readers, err := segment.LoadAll(metas)
	if err != nil {
		return nil, nil, err
	}
	mem := index.NewMemIndex(textproc.NewAnalyzer())
	return query.NewEngine(mem, readers, trace.Default(), logger, cacheSize), mem, nil
}

func refreshLoop(eng *query.Engine, dir string, every time.Duration, logger *log.Logger) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		if err := eng.Reload(dir); err != nil {
			logger.Printf("reload: %v", err)
		}
	}
}

// warmFromLog replays the most frequent queries of the query log and prints
// the timing table when done.
func warmFromLog(eng *query.Engine, path string, a *textproc.Analyzer, logger *log.Logger) error {
	defer trace.Default().Snapshot().Print(os.Stderr) // HAZ defer-call-chain
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		q, err := query.Parse(sc.Text(), a, 10)
		if err != nil {
			continue
		}
		if _, err := eng.Cached(context.Background(), q); err != nil {
			logger.Printf("warm %q: %v", q.Raw, err)
			continue
		}
		n++
	}
	logger.Printf("warmed %d queries", n)
	return sc.Err()
}

func main() {
	dataDir := flag.String("data", "./data", "shared index directory")
	addr := flag.String("addr", ":8081", "listen address")
	refresh := flag.Duration("refresh", 30*time.Second, "manifest reload interval")
	queryLog := flag.String("warm", "", "query log used to warm the cache")
	flag.Parse()
	logger := log.New(os.Stderr, "searchd ", log.LstdFlags)

	eng, mem, err := loadEngine(*dataDir, 8192, logger)
	if err != nil {
		logger.Fatalf("load: %v", err)
	}
	defer eng.Close()
	analyzer := textproc.NewAnalyzer()
	if *queryLog != "" {
		if err := warmFromLog(eng, *queryLog, analyzer, logger); err != nil {
			logger.Printf("warm: %v", err)
		}
	}
	snaps := snapshot.NewManager(*dataDir, logger)
	snaps.Publish(eng.Segments())
	pipe := ingest.NewPipeline(mem, 1, 1, logger)
	h := api.NewServer(eng, mem, pipe, analyzer, snaps, logger).Handler()

	go refreshLoop(eng, *dataDir, *refresh, logger)
	go func() {
		if err := api.Serve(context.Background(), api.NewHTTPServer(*addr, h), logger); err != nil {
			logger.Printf("serve: %v", err)
		}
	}()
	logger.Printf("serving %s on %s", *dataDir, *addr)
	select {} // HAZ signal-skips-defer
}
