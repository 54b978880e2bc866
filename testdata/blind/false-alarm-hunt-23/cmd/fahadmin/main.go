// Command fahadmin serves the HTTP admin API of the user store.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/fah23/store"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:8080", "HTTP listen address")
	dsn := flag.String("dsn", os.Getenv("FAHDB_DSN"), "database DSN")
	flag.Parse()

	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	st, err := store.Open(ctx, *dsn, log.Default())
	cancel()
	if err != nil {
		log.Fatalf("fahadmin: %v", err)
	}
	defer st.Close()

	auditCtx, stopAudit := context.WithCancel(context.Background())
	defer stopAudit()
	srv := &http.Server{
		Addr:              *addr,
		Handler:           routes(auditCtx, st),
		ReadHeaderTimeout: 5 * time.Second,
	}
	log.Printf("fahadmin: listening on %s", *addr)
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		log.Printf("fahadmin: %v", err)
	}
}

// routes wires the store handlers behind the audit middleware, whose writer
// runs until ctx ends.
func routes(ctx context.Context, st *store.Store) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", st.ServeUser)
	mux.HandleFunc("DELETE /users/{id}", st.ServeDeleteUser)
	mux.HandleFunc("GET /healthz", st.ServeHealth)
	audited := store.NewAuditHandler(st.DB(), mux, log.Default(), 256)
	go audited.Run(ctx)
	return audited
}
