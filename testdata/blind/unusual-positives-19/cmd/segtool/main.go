// Command segtool serves a read-only debug view of a segment directory and
// keeps compacting it in the background until it is told to stop.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"example.com/up19/internal/segment"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:6061", "debug listen address")
	dir := flag.String("data", "", "segment directory")
	every := flag.Duration("compact", 10*time.Minute, "compaction interval")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "segtool: -data is required")
		os.Exit(2)
	}

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := &http.Server{Addr: *addr, Handler: debugMux(*dir), ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := srv.Shutdown(shutdownCtx); err != nil {
			log.Printf("segtool: shutdown: %v", err)
		}
	}()
	go compactLoop(ctx, *dir, *every)
	go func() {
		<-ctx.Done()
		srv.Close()
	}()
	if err := srv.ListenAndServe(); !errors.Is(err, http.ErrServerClosed) {
		log.Printf("segtool: serve: %v", err)
	}
}

// debugMux serves the segment counts and the tail of dir.
func debugMux(dir string) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /counts", func(w http.ResponseWriter, r *http.Request) {
		counts, err := segment.ScanDir(dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(counts)
	})
	mux.HandleFunc("GET /tail", func(w http.ResponseWriter, r *http.Request) {
		recs, err := segment.Tail(dir, 50)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(recs)
	})
	return mux
}

// compactLoop compacts dir every interval until ctx ends.
func compactLoop(ctx context.Context, dir string, every time.Duration) {
	tick := time.NewTicker(every)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
			out := filepath.Join(dir, fmt.Sprintf("compacted-%d.jsonl", time.Now().Unix()))
			st, err := segment.Compact(dir, out)
			if err != nil {
				log.Printf("segtool: compact: %v", err)
				continue
			}
			log.Printf("segtool: compacted %d segments, kept %d of %d records", st.Segments, st.Kept, st.Read)
		}
	}
}
