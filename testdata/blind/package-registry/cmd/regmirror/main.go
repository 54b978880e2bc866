// Command regmirror runs a read-only mirror of a primary registry: it pulls
// the primary's index on an interval, copies the blobs it lacks, and serves
// them.
package main

import (
	"context"
	"errors"
	"flag"
	"io/fs"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/registry/internal/blobstore"
	"example.com/registry/internal/cache"
	"example.com/registry/internal/httpapi"
	"example.com/registry/internal/index"
	"example.com/registry/internal/upstream"
)

func main() {
	primary := flag.String("primary", "", "URL of the primary registry")
	root := flag.String("root", "/var/lib/regmirror", "blob store root")
	addr := flag.String("addr", ":8081", "listen address")
	every := flag.Duration("every", time.Minute, "sync interval")
	flag.Parse()
	if *primary == "" {
		log.Fatal("regmirror: -primary is required")
	}
	logger := log.New(os.Stderr, "regmirror ", log.LstdFlags|log.Lmsgprefix)

	store, err := blobstore.Open(*root)
	if err != nil {
		log.Fatalf("regmirror: %v", err)
	}
	indexPath := filepath.Join(*root, "index.jsonl")
	idx := loadOrNew(indexPath)
	defer saveIndex(idx, indexPath)

	s := &syncer{
		primary: *primary,
		store:   store,
		idx:     idx,
		hc:      &http.Client{Timeout: 5 * time.Minute},
		timeout: 10 * time.Minute,
		every:   *every,
		log:     logger,
	}
	go s.loop()

	up := upstream.New(*primary, nil, 30*time.Second, logger)
	api := httpapi.New(httpapi.Config{
		Store:        store,
		Index:        idx,
		Proxy:        cache.New(up, store, cache.Options{TTL: time.Minute, Logger: logger}),
		Upstream:     up,
		IndexPath:    indexPath,
		UpstreamWait: time.Second,
		Logger:       logger,
	})
	go api.HitLogger(context.Background())
	logger.Printf("mirroring %s on %s", *primary, *addr)
	log.Fatal(http.ListenAndServe(*addr, api.Routes())) // HAZ exit-skips-defer signal-skips-defer
}

// loadOrNew loads the local index, starting empty if it is missing or damaged.
func loadOrNew(path string) *index.Index {
	x, err := index.Load(path)
	if err != nil {
		if !errors.Is(err, fs.ErrNotExist) {
			log.Printf("regmirror: starting with an empty index: %v", err)
		}
		return index.New()
	}
	return x
}

// saveIndex persists the index, logging failures.
func saveIndex(x *index.Index, path string) {
	if err := x.SaveTo(path); err != nil {
		log.Printf("regmirror: save index: %v", err)
	}
}
