// Command jr-cached serves the action cache over HTTP to remote runners.
package main

import (
	"errors"
	"flag"
	"io/fs"
	"log"
	"net"
	"net/http"
	"path/filepath"
	"time"

	"example.com/unusualpos4/internal/cache"
)

func main() {
	addr := flag.String("addr", ":8421", "listen address")
	dir := flag.String("dir", "/var/cache/jr", "cache directory")
	flag.Parse()

	dc, err := cache.OpenDisk(*dir, 100000, log.Printf)
	if err != nil {
		log.Fatalf("jr-cached: %v", err)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Fatalf("jr-cached: %v", err)
	}
	defer func() {
		if err := dc.SaveIndex(filepath.Join(*dir, "index")); err != nil {
			log.Printf("jr-cached: saving index: %v", err)
		}
	}()

	srv := &http.Server{Handler: newHandler(dc), ReadHeaderTimeout: 5 * time.Second}
	log.Printf("jr-cached: serving %s on %s", *dir, ln.Addr())
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("jr-cached: %v", err)
	}
}

func newHandler(dc *cache.DiskCache) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blob/{key}", func(w http.ResponseWriter, r *http.Request) {
		if err := dc.FetchTimed(r.PathValue("key"), w); err != nil {
			code := http.StatusInternalServerError
			if errors.Is(err, fs.ErrNotExist) {
				code = http.StatusNotFound
			}
			http.Error(w, err.Error(), code)
		}
	})
	mux.HandleFunc("GET /stats", func(w http.ResponseWriter, r *http.Request) {
		hits, misses := dc.Stats().Counts()
		log.Printf("stats requested: %d hits, %d misses", hits, misses)
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte(http.StatusText(http.StatusOK)))
	})
	return mux
}
