// Command exporter serves WAL directory metrics in the Prometheus text format.
package main

import (
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"example.com/fah13/internal/httpx"
	"example.com/fah13/internal/wal"
)

func main() {
	addr := flag.String("listen", ":9402", "metrics listen address")
	dir := flag.String("dir", "data", "WAL directory to report on")
	pidfile := flag.String("pidfile", "", "write the process id here")
	flag.Parse()
	logger := log.New(os.Stderr, "exporter: ", log.LstdFlags)

	if *pidfile != "" {
		if err := writePidfile(*pidfile); err != nil {
			logger.Printf("pidfile: %v", err)
			os.Exit(1)
		}
		defer os.Remove(*pidfile)
	}

	mux := http.NewServeMux()
	mux.Handle("GET /metrics", &collector{dir: *dir, logger: logger})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           httpx.Recoverer(logger, nil, mux),
		ReadHeaderTimeout: 5 * time.Second,
	}
	logger.Printf("listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

func writePidfile(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	_, err = f.WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return err
}

type collector struct {
	dir    string
	logger *log.Logger
}

func (c *collector) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	names, err := wal.Segments(c.dir)
	if err != nil {
		c.logger.Printf("collect: %v", err)
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	var total int64
	for _, n := range names {
		if fi, err := os.Stat(filepath.Join(c.dir, n)); err == nil {
			total += fi.Size()
		}
	}
	last, err := wal.LastRev(c.dir)
	if err != nil {
		c.logger.Printf("collect: last rev: %v", err)
	}
	w.Header().Set("Content-Type", "text/plain; version=0.0.4")
	fmt.Fprintf(w, "# TYPE kv_wal_segments gauge\nkv_wal_segments %d\n", len(names))
	fmt.Fprintf(w, "# TYPE kv_wal_bytes gauge\nkv_wal_bytes %d\n", total)
	fmt.Fprintf(w, "# TYPE kv_wal_last_revision gauge\nkv_wal_last_revision %d\n", last)
}
