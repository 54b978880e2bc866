// Command etld is the ETL service: it accepts CSV uploads into a spool
// directory, loads them into the staging table, runs jobs on demand and
// serves previews and status.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/etl/internal/progress"
	"example.com/etl/internal/store"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dsn := flag.String("dsn", "mem://etld", "database")
	spool := flag.String("spool", "spool", "directory for uploaded files")
	webhook := flag.String("webhook", "", "URL notified after each job run")
	flag.Parse()

	if err := os.MkdirAll(*spool, 0o755); err != nil {
		log.Fatalf("etld: %v", err)
	}
	db, err := store.Open(*dsn)
	if err != nil {
		log.Fatalf("etld: %v", err)
	}
	defer db.Close()
	rep := progress.Start(os.Stderr, 30*time.Second)
	defer rep.Stop()

	s, err := newServer(db, rep, *spool, *webhook)
	if err != nil {
		log.Printf("etld: %v", err)
		return
	}
	go s.ingest(context.Background())
	go s.retryLoop(context.Background())

	srv := &http.Server{Addr: *addr, Handler: s.routes(), ReadHeaderTimeout: 10 * time.Second}
	log.Printf("etld: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("etld: %v", err)
	}
}
