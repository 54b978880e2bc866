// Command mqdash serves the read-mostly operator dashboard API.
package main

import (
	"flag"
	"log"
	"net/http"
	"os"
	"time"

	"example.com/mqworker/internal/api"
	"example.com/mqworker/internal/mailer"
	"example.com/mqworker/internal/metrics"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/ratelimit"
	"example.com/mqworker/internal/store"
)

// pollLease is how long a lease taken through the dashboard's "run now" lasts.
const pollLease = 2 * time.Minute

func main() {
	addr := flag.String("addr", ":8090", "listen address")
	dsn := flag.String("dsn", "mem://jobs", "store DSN")
	flag.Parse()
	logger := log.New(os.Stderr, "mqdash ", log.LstdFlags)

	db, err := store.Open(*dsn)
	if err != nil {
		logger.Fatalf("open %s: %v", *dsn, err)
	}
	defer db.Close()
	reg := metrics.New()
	defer reg.WriteText(os.Stderr)

	srv := api.NewServer(queue.NewRepo(db, pollLease, logger), queue.NewMemQueue(256),
		ratelimit.New(20, 50), mailer.NewRenderer(), reg, logger)
	mux := http.NewServeMux()
	mux.Handle("/v1/", srv.Handler())
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		if err := reg.WriteText(w); err != nil {
			logger.Printf("metrics: %v", err)
		}
	})

	logger.Printf("dashboard on %s", *addr)
	if err := http.ListenAndServe(*addr, mux); err != nil { // HAZ signal-skips-defer
		logger.Printf("serve: %v", err)
	}
}
