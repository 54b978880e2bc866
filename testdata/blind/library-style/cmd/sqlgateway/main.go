// Command sqlgateway exposes a sqlpool over HTTP.
package main

import (
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"time"

	"example.com/blindi/sqlpool"
)

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	backend := flag.String("backend", "localhost:7432", "database address")
	leaseDSN := flag.String("leases", "postgres://localhost/leases", "lease database DSN")
	flag.Parse()

	leases, err := sql.Open("pgx", *leaseDSN)
	if err != nil {
		log.Fatalf("sqlgateway: %v", err)
	}
	pool := sqlpool.New(sqlpool.Config{Addr: *backend, MaxOpen: 16, MaxIdle: 4, DialTimeout: 2 * time.Second}, leases)
	defer pool.Close()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /exec", func(w http.ResponseWriter, r *http.Request) {
		n, err := pool.Exec(r.Context(), r.FormValue("q"))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		fmt.Fprintf(w, "%d\n", n)
	})
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // HAZ signal-skips-defer
		log.Printf("sqlgateway: %v", err)
	}
}
