// Command blobserve serves a blob store read-only, e.g. from a backup
// volume during an incident. It holds no state that needs cleaning up, so it
// simply runs until killed.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/registry/internal/blobstore"
)

func main() {
	root := flag.String("root", "/var/lib/registry", "blob store root")
	addr := flag.String("addr", ":8083", "listen address")
	flag.Parse()

	store, err := blobstore.Open(*root)
	if err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{
		Addr:              *addr,
		Handler:           newHandler(store),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("blobserve: serving %s on %s", *root, *addr)
	log.Fatal(srv.ListenAndServe())
}

// newHandler serves GET /blobs/{digest}.
func newHandler(store *blobstore.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /blobs/{digest}", func(w http.ResponseWriter, r *http.Request) {
		d, err := blobstore.ParseDigest(r.PathValue("digest"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		f, err := store.OpenBlob(d)
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			http.Error(w, "internal error", http.StatusInternalServerError)
			return
		}
		http.ServeContent(w, r, "", fi.ModTime(), f)
	})
	return mux
}
