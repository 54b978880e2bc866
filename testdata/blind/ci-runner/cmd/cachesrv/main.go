// Command cachesrv serves the runner cache over HTTP so that several runners
// on one network can share dependency archives.
package main

import (
	"encoding/json"
	"errors"
	"flag"
	"io"
	"io/fs"
	"log"
	"net/http"
	"os"
	"strconv"
	"strings"
	"time"

	"example.com/cirunner/internal/cache"
)

const maxEntryBytes = 4 << 30

type server struct {
	store *cache.Store
	token string
}

func main() {
	dir := flag.String("dir", "/var/cache/ci-runner", "cache directory")
	addr := flag.String("addr", ":8089", "listen address")
	maxBytes := flag.Int64("max-bytes", 50<<30, "evict entries above this total size")
	flag.Parse()

	store, err := cache.Open(*dir, *maxBytes)
	if err != nil {
		log.Fatalf("cachesrv: %v", err)
	}
	defer func() {
		if err := store.Close(); err != nil {
			log.Printf("cachesrv: saving index: %v", err)
		}
	}()
	go evictLoop(store, time.Minute)

	srv := &server{store: store, token: os.Getenv("CACHE_TOKEN")}
	hs := &http.Server{Addr: *addr, Handler: srv.routes(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("cachesrv: serving %s on %s", *dir, *addr)
	if err := hs.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("cachesrv: %v", err)
	}
}

// evictLoop keeps the store under its size limit.
func evictLoop(store *cache.Store, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for range t.C {
		removed, err := store.Evict()
		if err != nil {
			log.Printf("cachesrv: evict: %v", err)
		}
		if len(removed) > 0 {
			log.Printf("cachesrv: evicted %d entries", len(removed))
		}
	}
}

func (s *server) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/cache/", s.handleEntry)
	mux.HandleFunc("/stats", s.handleStats)
	return mux
}

func (s *server) handleEntry(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/cache/")
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		s.serveEntry(w, r, key)
	case http.MethodPut:
		s.putEntry(w, r, key)
	default:
		w.Header().Set("Allow", "GET, HEAD, PUT")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

func (s *server) serveEntry(w http.ResponseWriter, r *http.Request, key string) {
	f, size, err := s.store.OpenEntry(key)
	if errors.Is(err, fs.ErrNotExist) {
		http.NotFound(w, r)
		return
	}
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/gzip")
	w.Header().Set("Content-Length", strconv.FormatInt(size, 10))
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.Copy(w, f); err != nil {
		log.Printf("cachesrv: send %s: %v", key, err)
	}
}

func (s *server) putEntry(w http.ResponseWriter, r *http.Request, key string) {
	if s.token != "" && r.Header.Get("Authorization") != "Bearer "+s.token {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	body := http.MaxBytesReader(w, r.Body, maxEntryBytes)
	if err := s.store.Put(key, body); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	w.WriteHeader(http.StatusCreated)
}

func (s *server) handleStats(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.store.Stats()); err != nil {
		log.Printf("cachesrv: stats: %v", err)
	}
}
