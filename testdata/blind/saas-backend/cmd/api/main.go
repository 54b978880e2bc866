// Command api serves the tenant HTTP API with graceful shutdown.
package main

import (
	"context"
	"database/sql"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/saas/internal/api"
	"example.com/saas/internal/cache"
	"example.com/saas/internal/fakedb"
	"example.com/saas/internal/jobs"
	"example.com/saas/internal/tenant"
	"example.com/saas/internal/trace"
	"example.com/saas/internal/webhook"
)

func main() {
	addr := flag.String("addr", ":8080", "listen address")
	dsn := flag.String("dsn", "dev", "database name")
	exportDir := flag.String("export-dir", os.TempDir(), "where exports are written")
	flag.Parse()

	logger := log.New(os.Stderr, "api ", log.LstdFlags|log.Lmicroseconds)
	db, err := fakedb.Open(*dsn)
	if err != nil {
		log.Fatalf("open database: %v", err)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer db.Close()

	if err := serve(ctx, *addr, *exportDir, db, logger); err != nil {
		logger.Printf("server stopped: %v", err)
		return
	}
	logger.Printf("shut down cleanly")
}

// serve runs the HTTP server until ctx is cancelled, then drains it.
func serve(ctx context.Context, addr, exportDir string, db *sql.DB, logger *log.Logger) error {
	c := cache.New(5 * time.Minute)
	sweeper := cache.NewSweeper(c, time.Minute, logger)
	go sweeper.Run(ctx)

	srv := &http.Server{
		Addr: addr,
		Handler: api.New(api.Config{
			DB: db, Queue: jobs.NewQueue(db), Tenants: loadTenants(), Cache: c,
			Hooks:  webhook.New(&http.Client{Timeout: 15 * time.Second}, 10*time.Second, 3, logger),
			Tracer: trace.New(logger, 0), Logger: logger, ExportDir: exportDir,
		}).Handler(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	logger.Printf("listening on %s", addr)

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	<-sweeper.Done()
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func loadTenants() *tenant.Directory {
	d := tenant.NewDirectory()
	d.Add(&tenant.Tenant{ID: "acme", Name: "Acme Corp", Plan: "pro", APIKeys: []string{os.Getenv("ACME_API_KEY")}})
	d.Add(&tenant.Tenant{ID: "globex", Name: "Globex", Plan: "free", APIKeys: []string{os.Getenv("GLOBEX_API_KEY")}})
	return d
}
