// Command mirror serves a read-only copy of a tile directory.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/up22/internal/cache"
	"example.com/up22/internal/server"
	"example.com/up22/internal/store"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dir := flag.String("dir", "/srv/tiles", "tile directory")
	flag.Parse()

	st, err := store.Open(*dir, log.Default())
	if err != nil {
		log.Fatal(err)
	}
	defer st.Close()

	tiles := cache.New[string, []byte](time.Hour)
	srv := server.New(tiles, snapshotOrigin(st), log.Default())
	defer srv.Stop()

	hs := &http.Server{Addr: *addr, Handler: srv.Routes(), ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(hs.ListenAndServe()) // HAZ exit-skips-defer signal-skips-defer
}

// snapshotOrigin serves tiles from the store's snapshots.
func snapshotOrigin(st *store.Store) server.Origin {
	return func(ctx context.Context, key string) ([]byte, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return st.ReadSnapshot(key)
	}
}
