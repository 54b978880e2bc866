// Command worker runs the background job pool and exposes its metrics.
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

	"example.com/saas/internal/email"
	"example.com/saas/internal/fakedb"
	"example.com/saas/internal/jobs"
)

func main() {
	dsn := flag.String("dsn", "dev", "database name")
	metricsAddr := flag.String("metrics", ":9090", "metrics listen address")
	workers := flag.Int("workers", 8, "concurrent jobs")
	flag.Parse()

	logger := log.New(os.Stderr, "worker ", log.LstdFlags)
	db, err := fakedb.Open(*dsn)
	if err != nil {
		log.Fatalf("open db: %v", err)
	}
	defer db.Close()

	batcher := email.NewBatcher(&email.WriterSender{W: os.Stdout}, 50, 10*time.Second, logger)
	go batcher.Run(context.Background())

	pool := jobs.NewPool(jobs.NewQueue(db), jobs.Config{Workers: *workers, Name: hostname()}, logger)
	registerHandlers(pool, batcher)
	go func() {
		if err := pool.Run(context.Background()); err != nil {
			logger.Printf("pool stopped: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /metrics", func(w http.ResponseWriter, r *http.Request) {
		_ = json.NewEncoder(w).Encode(pool.Stats())
	})
	logger.Printf("metrics on %s", *metricsAddr)
	if err := http.ListenAndServe(*metricsAddr, mux); err != nil { // HAZ signal-skips-defer
		logger.Printf("metrics server: %v", err)
	}
}

func hostname() string {
	h, err := os.Hostname()
	if err != nil {
		return fmt.Sprintf("worker-%d", os.Getpid())
	}
	return h
}

func registerHandlers(pool *jobs.Pool, b *email.Batcher) {
	pool.Register("email.notify", func(ctx context.Context, j *jobs.Job) error {
		var m email.Message
		if err := json.Unmarshal(j.Payload, &m); err != nil {
			return fmt.Errorf("%w: %v", jobs.ErrPermanent, err)
		}
		m.Tenant = j.Tenant
		return b.Enqueue(ctx, m)
	})
	pool.Register("noop", func(context.Context, *jobs.Job) error { return nil })
}
