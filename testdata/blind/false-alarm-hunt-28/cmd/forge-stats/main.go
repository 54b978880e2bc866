// Command forge-stats exposes the statistics of a local cache directory
// over HTTP. It keeps no state of its own, so it needs no cleanup.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

type stats struct {
	Objects int   `json:"objects"`
	Bytes   int64 `json:"bytes"`
}

func main() {
	addr := flag.String("addr", "127.0.0.1:8422", "listen address")
	dir := flag.String("dir", ".forge/cache", "cache directory")
	flag.Parse()
	if _, err := os.Stat(*dir); err != nil {
		log.Fatal(err)
	}
	http.HandleFunc("/stats", statsHandler(*dir))
	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second}
	log.Fatal(srv.ListenAndServe())
}

// statsHandler serves the object count and total size under dir.
func statsHandler(dir string) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		s, err := scan(filepath.Join(dir, "objects"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		json.NewEncoder(w).Encode(s)
	}
}

// scan counts the objects in one directory level.
func scan(dir string) (stats, error) {
	f, err := os.Open(dir)
	if err != nil {
		return stats{}, err
	}
	defer f.Close()
	entries, err := f.ReadDir(-1)
	if err != nil {
		return stats{}, err
	}
	var s stats
	for _, e := range entries {
		fi, err := e.Info()
		if err != nil || !fi.Mode().IsRegular() {
			continue
		}
		s.Objects++
		s.Bytes += fi.Size()
	}
	return s, nil
}
