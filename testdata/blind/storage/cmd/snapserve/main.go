// Command snapserve serves the records of a snapshot directory read-only.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"time"

	"example.com/storage/snapshot"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dir := flag.String("dir", "snapshot", "snapshot directory")
	flag.Parse()

	lock, err := snapshot.AcquireLock(*dir)
	if err != nil {
		log.Fatalf("snapserve: %v", err) // ok: nothing deferred yet
	}
	defer lock.Release()

	loader := snapshot.NewLoader(1<<30, 30*time.Second, log.Printf)
	snap, err := loader.OpenWithin(context.Background(), *dir)
	if err != nil {
		log.Printf("snapserve: load: %v", err)
		return
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		log.Printf("snapserve: listen: %v", err)
		return
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /manifest", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(snap.Manifest)
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("snapserve: %v", err)
	}
}
