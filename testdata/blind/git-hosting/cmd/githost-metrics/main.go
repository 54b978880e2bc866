// Command githost-metrics exports repository counts and sizes for Prometheus.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"sort"
	"strconv"
	"sync"
	"time"

	"example.com/githost/internal/storage"
)

// sizeCache keeps the last measurement, refreshed at most once per interval.
type sizeCache struct {
	st       *storage.Store
	interval time.Duration

	mu    sync.Mutex
	at    time.Time
	sizes map[string]int64
}

func (c *sizeCache) get() map[string]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	if time.Since(c.at) > c.interval {
		c.sizes = c.st.SizeAll()
		c.at = time.Now()
	}
	return c.sizes
}

func metricsHandler(st *storage.Store, c *sizeCache) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		sizes := c.get()
		names := make([]string, 0, len(sizes))
		for n := range sizes {
			names = append(names, n)
		}
		sort.Strings(names)
		w.Header().Set("Content-Type", "text/plain; version=0.0.4")
		fmt.Fprintf(w, "githost_repositories %d\n", st.Count())
		for _, n := range names {
			fmt.Fprintf(w, "githost_repository_bytes{repo=%q} %d\n", n, sizes[n])
		}
	}
}

func main() {
	addr := flag.String("addr", ":9187", "listen address")
	root := flag.String("root", "/srv/git", "directory holding the bare repositories")
	pidFile := flag.String("pidfile", "/run/githost-metrics.pid", "PID file")
	flag.Parse()

	st, err := storage.Open(*root, nil)
	if err != nil {
		log.Fatalf("githost-metrics: %v", err)
	}
	if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
		log.Fatalf("githost-metrics: %v", err)
	}
	defer os.Remove(*pidFile)

	mux := http.NewServeMux()
	mux.Handle("/metrics", metricsHandler(st, &sizeCache{st: st, interval: 5 * time.Minute}))
	log.Printf("githost-metrics: serving on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		log.Printf("githost-metrics: %v", err)
	}
}
