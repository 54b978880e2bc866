// Command kvserver exposes a kvstore over HTTP.
package main

import (
	"flag"
	"io"
	"log"
	"net/http"

	"example.com/blindi/kvstore"
)

func main() {
	dir := flag.String("dir", "./data", "data directory")
	addr := flag.String("addr", ":8080", "listen address")
	flag.Parse()

	store, err := kvstore.Open(*dir, kvstore.Options{})
	if err != nil {
		log.Fatalf("kvserver: %v", err)
	}
	defer store.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		v, _, err := store.Lookup(r.PathValue("key"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
		_, _ = w.Write(v)
	})
	mux.HandleFunc("PUT /kv/{key}", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := store.Put(r.PathValue("key"), body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	log.Printf("kvserver: serving %s on %s", *dir, *addr)
	log.Fatal(http.ListenAndServe(*addr, mux)) // HAZ signal-skips-defer // HAZ exit-skips-defer
}
