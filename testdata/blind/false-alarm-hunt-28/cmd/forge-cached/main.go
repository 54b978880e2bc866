// Command forge-cached is the single-binary developer variant of forged: a
// cache server for one machine, usually started by the IDE integration and
// also deployed as a sidecar in CI pods.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/fah28/internal/server"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8421", "listen address")
	dir := flag.String("dir", ".forge/remote", "store directory")
	flag.Parse()

	logger := log.New(os.Stderr, "forge-cached: ", log.LstdFlags)
	store, err := server.Open(*dir, logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, "forge-cached:", err)
		os.Exit(1)
	}
	defer func() {
		if err := store.Close(); err != nil {
			logger.Printf("close store: %v", err)
		}
	}()

	srv := &http.Server{Addr: *addr, Handler: store.Handler(), ReadHeaderTimeout: 5 * time.Second}
	logger.Printf("listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
