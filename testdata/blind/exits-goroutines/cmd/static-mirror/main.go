// Command static-mirror serves a read-only mirror of release artifacts on
// two ports. It owns no state, so main defers nothing before parking.
package main

import (
	"flag"
	"log"
	"net/http"
	"time"
)

func serve(addr string, h http.Handler) {
	srv := &http.Server{Addr: addr, Handler: h, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Printf("static-mirror: %s: %v", addr, err)
	}
}

func main() {
	root := flag.String("root", "/srv/releases", "artifact directory")
	flag.Parse()

	files := http.FileServer(http.Dir(*root))
	go serve(":8070", files)
	go serve(":8071", http.StripPrefix("/releases", files))
	log.Printf("static-mirror: serving %s", *root)
	select {} // ok: no deferred cleanup in main
}
