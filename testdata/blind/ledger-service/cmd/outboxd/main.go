// Command outboxd publishes outbox rows to a file for the downstream batch
// loader. It runs next to the ledger as a sidecar.
package main

import (
	"context"
	"database/sql"
	"flag"
	"log"
	"net/http"
	"time"

	"example.com/txsvc/internal/memdb"
	"example.com/txsvc/outbox"
)

func serveMetrics(addr string, pub *outbox.Publisher) {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		n, err := pub.Pending(r.Context())
		if err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		published, lastErr := pub.Stats()
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("outbox_pending " + itoa(n) + "\noutbox_published " + itoa(published) + "\n"))
		if lastErr != nil {
			_, _ = w.Write([]byte("# last error: " + lastErr.Error() + "\n"))
		}
	})
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	if err := srv.ListenAndServe(); err != nil {
		log.Printf("metrics: %v", err)
	}
}

func itoa(n int64) string {
	if n == 0 {
		return "0"
	}
	neg := n < 0
	if neg {
		n = -n
	}
	var b [20]byte
	i := len(b)
	for n > 0 {
		i--
		b[i] = byte('0' + n%10)
		n /= 10
	}
	if neg {
		i--
		b[i] = '-'
	}
	return string(b[i:])
}

func main() {
	dsn := flag.String("dsn", "ledger", "database name")
	out := flag.String("out", "outbox.jsonl", "output file")
	metricsAddr := flag.String("metrics", ":9102", "metrics address")
	every := flag.Duration("every", time.Second, "poll interval")
	flag.Parse()

	db, err := sql.Open(memdb.DriverName, *dsn)
	if err != nil {
		log.Fatalf("open: %v", err) // ok: nothing deferred yet
	}
	defer db.Close()
	sink, err := outbox.OpenFileSink(*out)
	if err != nil {
		log.Printf("sink: %v", err)
		return
	}
	defer sink.Close()

	pub := outbox.NewPublisher(db, sink, outbox.Options{Interval: *every, Logger: log.Default()})
	go pub.RunBlocking(context.Background())
	go serveMetrics(*metricsAddr, pub)
	log.Printf("publishing %s to %s", *dsn, *out)
	select {} // HAZ signal-skips-defer
}
