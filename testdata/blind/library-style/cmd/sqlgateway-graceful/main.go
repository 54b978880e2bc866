// Command sqlgateway-graceful exposes a sqlpool over HTTP and drains on SIGTERM.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/blindi/sqlpool"
)

// shutdownContext returns a context cancelled on SIGINT or SIGTERM.
func shutdownContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}

func main() {
	addr := flag.String("addr", ":8081", "listen address")
	backend := flag.String("backend", "localhost:7432", "database address")
	leaseDSN := flag.String("leases", "postgres://localhost/leases", "lease database DSN")
	flag.Parse()

	leases, err := sql.Open("pgx", *leaseDSN)
	if err != nil {
		log.Fatalf("sqlgateway: %v", err)
	}
	defer leases.Close()
	pool := sqlpool.New(sqlpool.Config{Addr: *backend, MaxOpen: 16, MaxIdle: 4, DialTimeout: 2 * time.Second}, leases)
	defer pool.Close()

	ctx, stop := shutdownContext()
	defer stop()

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
	drained := make(chan struct{})
	go func() {
		defer close(drained)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			log.Printf("sqlgateway: shutdown: %v", err)
		}
	}()
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Printf("sqlgateway: %v", err)
		return
	}
	<-drained
}
