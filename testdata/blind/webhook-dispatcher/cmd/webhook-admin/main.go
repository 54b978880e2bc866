// Command webhook-admin serves the subscription management API on its own
// port, separate from event ingestion.
package main

import (
	"encoding/json"
	"flag"
	"log"
	"net/http"
	"os"
	"strconv"

	"example.com/webhooks/internal/subscription"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dir := flag.String("subscriptions", "/var/lib/webhooks/subscriptions", "subscription directory")
	pidFile := flag.String("pidfile", "", "write the process id here while running")
	flag.Parse()

	logger := log.New(os.Stderr, "webhook-admin: ", log.LstdFlags)
	store, err := subscription.Open(*dir)
	if err != nil {
		logger.Fatalf("open store: %v", err)
	}
	if *pidFile != "" {
		if err := os.WriteFile(*pidFile, []byte(strconv.Itoa(os.Getpid())+"\n"), 0o644); err != nil {
			logger.Fatalf("pidfile: %v", err)
		}
		defer os.Remove(*pidFile)
	}

	audit := make(chan subscription.AuditEvent, 256)
	go writeAudit(audit, os.Stdout)
	api := subscription.NewAPI(store, audit, logger)

	logger.Printf("listening on %s", *addr)
	if err := http.ListenAndServe(*addr, api.Routes()); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}

// writeAudit writes audit events as JSON lines until the channel is closed.
func writeAudit(events <-chan subscription.AuditEvent, w *os.File) {
	enc := json.NewEncoder(w)
	for ev := range events {
		if err := enc.Encode(ev); err != nil {
			log.Printf("audit: %v", err)
		}
	}
}
