// Command indexer builds segment checksums and serves them to replicas.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/falsealarm3/storage/wal"
)

func main() {
	dir := flag.String("dir", "data/wal", "WAL directory")
	addr := flag.String("listen", ":7070", "listen address")
	flag.Parse()

	l, err := wal.Open(*dir, 64<<20)
	if err != nil {
		log.Fatalf("open wal: %v", err) // ok: before the defer
	}
	defer func() {
		if err := l.Close(); err != nil {
			log.Printf("close wal: %v", err)
		}
	}()

	http.HandleFunc("/checksums", func(w http.ResponseWriter, r *http.Request) {
		sums, err := wal.Checksums(*dir)
		if err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		_ = json.NewEncoder(w).Encode(sums)
	})
	http.HandleFunc("/last", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(map[string]uint64{"last": l.LastIndex()})
	})

	srv := &http.Server{Addr: *addr, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("serve: %v", err)
	}
}
