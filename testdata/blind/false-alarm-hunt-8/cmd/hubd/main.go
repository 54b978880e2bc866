// Command hubd runs a pub/sub hub behind HTTP.
package main

import (
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/falsealarm8/pubsub"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	pidfile := flag.String("pidfile", "/run/hubd.pid", "pid file")
	flag.Parse()

	if err := os.WriteFile(*pidfile, fmt.Appendf(nil, "%d\n", os.Getpid()), 0o644); err != nil {
		log.Fatalf("hubd: %v", err)
	}
	defer os.Remove(*pidfile)

	hub := pubsub.NewHub()
	defer hub.Close()
	hs := pubsub.NewHTTPServer(hub, log.Printf)
	go logAudit(hs.Audit())

	srv := &http.Server{Addr: *addr, Handler: hs, ReadHeaderTimeout: 5 * time.Second}
	log.Printf("hubd: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("hubd: %v", err)
	}
}

// logAudit consumes the audit stream for the life of the process.
func logAudit(events <-chan pubsub.AuditEvent) {
	for ev := range events {
		log.Printf("audit: %s %q from %s at %s", ev.Action, ev.Topic, ev.Remote, ev.At.Format(time.RFC3339))
	}
}
