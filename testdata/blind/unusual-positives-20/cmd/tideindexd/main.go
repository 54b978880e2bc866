// Command tideindexd serves index lookups and accepts lines for the spool.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up20/internal/api"
	"example.com/up20/internal/index"
	"example.com/up20/internal/spool"
)

func main() {
	addr := flag.String("addr", ":7070", "listen address")
	spoolDir := flag.String("spool", "/var/spool/tideindexd", "spool directory")
	maxLookups := flag.Int("max-lookups", 64, "concurrent lookups")
	flag.Parse()
	logger := log.New(os.Stderr, "tideindexd: ", log.LstdFlags)

	sp, err := spool.Open(*spoolDir, logger)
	if err != nil {
		logger.Fatalf("open spool: %v", err)
	}
	defer sp.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	srv := &http.Server{
		Addr:              *addr,
		Handler:           api.NewServer(index.New(logger), sp, *maxLookups, logger).Routes(),
		ReadHeaderTimeout: 5 * time.Second,
	}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			logger.Printf("serve: %v", err)
			stop()
		}
	}()

	<-ctx.Done()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		logger.Printf("shutdown: %v", err)
	}
}
