// Command cachegw serves objects from a local disk cache, filling it from
// the bucket on a miss.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"strings"
	"time"

	"example.com/cloudstoragesdk/cache"
	"example.com/cloudstoragesdk/credentials"
	"example.com/cloudstoragesdk/storage"
)

type accessRecord struct {
	Key      string
	Remote   string
	Status   int
	Bytes    int64
	Start    time.Time
	Duration time.Duration
}

type gateway struct {
	cache  *cache.Cache
	client *storage.Client
	access chan accessRecord
}

func (g *gateway) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/objects/", g.handleGet)
	mux.HandleFunc("/head/", g.handleHead)
	mux.HandleFunc("/stats", g.handleStats)
	mux.HandleFunc("/purge", g.handlePurge)
	return mux
}

// recordAccess hands one access record to the logger goroutine.
func (g *gateway) recordAccess(rec *accessRecord) {
	rec.Duration = time.Since(rec.Start)
	g.access <- *rec
}

// tryRecordAccess hands one access record to the logger goroutine unless
// it is busy.
func (g *gateway) tryRecordAccess(rec *accessRecord) {
	rec.Duration = time.Since(rec.Start)
	select {
	case g.access <- *rec:
	default:
	}
}

// logAccesses writes access records as they arrive.
func (g *gateway) logAccesses(w io.Writer) {
	for rec := range g.access {
		fmt.Fprintf(w, "%s %s %d %d %s\n", rec.Remote, rec.Key, rec.Status, rec.Bytes, rec.Duration)
	}
}

func (g *gateway) handleGet(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/objects/")
	rec := accessRecord{Key: key, Remote: r.RemoteAddr, Start: time.Now()}
	defer g.recordAccess(&rec) // HAZ defer-blocking-call
	rc, err := g.cache.GetOrFetch(r.Context(), key)
	if err != nil {
		rec.Status = http.StatusBadGateway
		http.Error(w, err.Error(), rec.Status)
		return
	}
	defer rc.Close()
	rec.Status = http.StatusOK
	rec.Bytes, _ = io.Copy(w, rc)
}

func (g *gateway) handleHead(w http.ResponseWriter, r *http.Request) {
	key := strings.TrimPrefix(r.URL.Path, "/head/")
	rec := accessRecord{Key: key, Remote: r.RemoteAddr, Start: time.Now()}
	defer g.tryRecordAccess(&rec)
	if g.cache.Contains(key) {
		rec.Status = http.StatusOK
		w.Header().Set("X-Cache", "hit")
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	info, err := g.client.HeadObject(ctx, key)
	if err != nil {
		rec.Status = http.StatusNotFound
		w.WriteHeader(rec.Status)
		return
	}
	rec.Status = http.StatusOK
	w.Header().Set("X-Cache", "miss")
	w.Header().Set("ETag", info.ETag)
}

func (g *gateway) handleStats(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(g.cache.Snapshot()); err != nil {
		log.Printf("cachegw: stats: %v", err)
	}
}

func (g *gateway) handlePurge(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	key := r.URL.Query().Get("key")
	if err := g.cache.Remove(key); err != nil {
		http.Error(w, err.Error(), http.StatusNotFound)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// fetcher adapts the storage client to the cache's origin interface.
func fetcher(c *storage.Client) cache.Fetcher {
	return func(ctx context.Context, key string) (io.ReadCloser, string, error) {
		body, info, err := c.GetObject(ctx, key)
		if err != nil {
			return nil, "", err
		}
		return body, info.ETag, nil
	}
}

func main() {
	addr := flag.String("listen", ":8080", "listen address")
	dir := flag.String("dir", "/var/cache/cloudstore", "cache directory")
	maxBytes := flag.Int64("max-bytes", 10<<30, "cache size limit")
	flag.Parse()

	client, err := storage.NewClient(storage.Config{
		Endpoint:    os.Getenv("CLOUDSTORE_ENDPOINT"),
		Bucket:      os.Getenv("CLOUDSTORE_BUCKET"),
		Credentials: credentials.EnvProvider{},
	})
	if err != nil {
		log.Fatalf("cachegw: %v", err)
	}
	c, err := cache.Open(*dir, *maxBytes)
	if err != nil {
		log.Fatalf("cachegw: %v", err)
	}
	defer c.Close()
	c.StartPrefetch(fetcher(client), 2)

	g := &gateway{cache: c, client: client, access: make(chan accessRecord)}
	go g.logAccesses(os.Stdout)
	srv := &http.Server{Addr: *addr, Handler: g.routes(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("cachegw: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("cachegw: %v", err)
	}
}
