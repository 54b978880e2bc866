// Command dbhealth serves health and status endpoints for the database.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/databaselayer/dbconn"
)

func healthz(db *dbconn.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), time.Second)
		defer cancel()
		if err := db.Ping(ctx); err != nil {
			http.Error(w, "database unreachable: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		fmt.Fprintln(w, "ok")
	}
}

func status(db *dbconn.DB) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(db.Status()); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}
	}
}

func newMux(db *dbconn.DB) *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", healthz(db))
	mux.HandleFunc("/status", status(db))
	return mux
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	dsn := flag.String("dsn", "app", "database to watch")
	flag.Parse()
	logger := log.New(os.Stderr, "dbhealth: ", log.LstdFlags)

	db, err := dbconn.Open(context.Background(), dbconn.DefaultConfig(*dsn), logger)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	defer db.Close()
	checker := dbconn.NewHealthChecker(db, 5*time.Second, logger)
	checker.Start()

	srv := &http.Server{Addr: *addr, Handler: newMux(db), ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
