// Command staticsrv serves a directory. It holds no resources that need
// cleanup, so it registers no defers and log.Fatal skips nothing.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func main() {
	addr := flag.String("addr", ":8000", "listen address")
	root := flag.String("root", ".", "directory to serve")
	flag.Parse()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           http.FileServer(http.Dir(*root)),
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       time.Minute,
	}
	log.Printf("serving %s on %s", *root, *addr)
	log.Fatal(srv.ListenAndServe())
}
