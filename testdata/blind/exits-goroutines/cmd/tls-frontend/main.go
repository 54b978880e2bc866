// Command tls-frontend terminates TLS for the session service and keeps the
// session table in a write-back store.
package main

import (
	"crypto/tls"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/blindd/internal/svc"
)

func main() {
	addr := flag.String("addr", ":8443", "listen address")
	certFile := flag.String("cert", "/etc/tls-frontend/tls.crt", "certificate")
	keyFile := flag.String("key", "/etc/tls-frontend/tls.key", "private key")
	dataDir := flag.String("data", "/var/lib/tls-frontend", "session store")
	flag.Parse()

	sessions, err := svc.OpenStore(*dataDir)
	if err != nil {
		log.Fatalf("tls-frontend: %v", err)
	}
	defer sessions.Close() // writes the session table back to disk

	mux := http.NewServeMux()
	mux.Handle("/session/", sessions.Handler())
	srv := &http.Server{
		Addr:              *addr,
		Handler:           mux,
		TLSConfig:         &tls.Config{MinVersion: tls.VersionTLS12},
		ReadHeaderTimeout: 5 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
	log.Printf("tls-frontend: listening on %s", *addr)
	err = srv.ListenAndServeTLS(*certFile, *keyFile) // HAZ signal-skips-defer
	log.Printf("tls-frontend: %v", err)
}
