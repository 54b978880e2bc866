// Command kvd serves a kv.Store over HTTP.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/storage/kv"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	path := flag.String("data", "kv.db", "data file")
	flag.Parse()

	store, err := kv.Open(*path, kv.Options{FlushInterval: time.Second, Logf: log.Printf})
	if err != nil {
		log.Fatalf("kvd: open %s: %v", *path, err) // ok: nothing deferred yet
	}
	defer store.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		v, ok := store.Get(r.PathValue("key"))
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Write(v)
	})
	mux.HandleFunc("PUT /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := store.Put(r.PathValue("key"), body); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	mux.HandleFunc("POST /compact", func(w http.ResponseWriter, r *http.Request) {
		if err := store.Compact(); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})

	log.Printf("kvd: listening on %s", *addr)
	log.Fatal(http.ListenAndServe(*addr, mux)) // HAZ exit-skips-defer signal-skips-defer
}
