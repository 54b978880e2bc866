// Command sigcleanup serves a spool directory and empties it on SIGTERM.
package main

import (
	"log"
	"net/http"
	"os"
	"path/filepath"
	"time"

	"example.com/falsealarm4/internal/cli"
)

func main() {
	spool := filepath.Join(os.TempDir(), "spool")
	if err := os.MkdirAll(spool, 0o755); err != nil {
		log.Fatal(err)
	}
	srv := &http.Server{Addr: ":8087", Handler: http.FileServer(http.Dir(spool)), ReadHeaderTimeout: 5 * time.Second}
	err := cli.Serve(srv.ListenAndServe, func() {
		if err := os.RemoveAll(spool); err != nil {
			log.Printf("cleanup: %v", err)
		}
	})
	log.Fatal(err) // ok: main has no defers
}
