// Command relayd is the outbox relay daemon with a status endpoint and
// graceful shutdown on SIGINT/SIGTERM.
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

	"example.com/databaselayer/internal/fakedb"
	"example.com/databaselayer/outbox"
)

type options struct {
	addr     string
	dsn      string
	interval time.Duration
}

func parseOptions() options {
	var o options
	flag.StringVar(&o.addr, "addr", ":8082", "status listen address")
	flag.StringVar(&o.dsn, "dsn", "app", "outbox database")
	flag.DurationVar(&o.interval, "interval", time.Second, "poll interval")
	flag.Parse()
	return o
}

func statusHandler(relay *outbox.Relay) http.HandlerFunc {
	return func(w http.ResponseWriter, _ *http.Request) {
		fmt.Fprintf(w, "relayed=%d paused=%t\n", relay.Sent(), relay.Paused())
	}
}

func main() {
	if err := run(parseOptions()); err != nil {
		log.Fatal(err)
	}
}

func run(o options) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	logger := log.New(os.Stderr, "relayd: ", log.LstdFlags)
	db, err := sql.Open(fakedb.DriverName, o.dsn)
	if err != nil {
		return err
	}
	defer db.Close()
	if _, err := db.ExecContext(ctx, outbox.Schema); err != nil {
		return err
	}

	relay := outbox.NewRelay(db, outbox.NewWriterPublisher(os.Stdout), logger, outbox.Config{Interval: o.interval})
	mux := http.NewServeMux()
	mux.HandleFunc("/status", statusHandler(relay))
	srv := &http.Server{Addr: o.addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 2)
	go func() { errc <- relay.RunSupervised(ctx) }()
	go func() { errc <- srv.ListenAndServe() }()

	select {
	case <-ctx.Done():
	case err := <-errc:
		if err != nil && !errors.Is(err, http.ErrServerClosed) && !errors.Is(err, context.Canceled) {
			logger.Printf("stopping: %v", err)
		}
	}
	stop()
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(shutdownCtx)
}
