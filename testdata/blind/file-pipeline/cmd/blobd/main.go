// Command blobd serves a blob store over HTTP.
package main

import (
	"errors"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/filepipeline/internal/blobstore"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	root := flag.String("root", "/var/lib/blobd", "store root")
	flag.Parse()

	store, err := blobstore.Open(*root, log.Default())
	if err != nil {
		log.Fatal(err)
	}
	defer store.Close()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           newServer(store).routes(),
		ReadHeaderTimeout: 10 * time.Second,
	}
	log.Printf("blobd: serving %s on %s", *root, *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("blobd: %v", err)
	}
}
