// Command worker serves health checks and processes jobs until it is told to
// stop.
package main

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/moderngo/ctxutil"
	"example.com/moderngo/store"
	"example.com/moderngo/stream"
)

func main() {
	os.Exit(run())
}

func run() int {
	log := slog.New(slog.NewTextHandler(os.Stderr, nil))
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGINT, syscall.SIGTERM)
	defer stop()

	st, err := store.Open(os.Getenv("DATA_DIR"))
	if err != nil {
		log.Error("open store", "err", err)
		return 1
	}
	defer func() {
		if err := st.Close(); err != nil {
			log.Error("close store", "err", err)
		}
	}()

	runner := ctxutil.NewRunner(log, true, func() { log.Info("shared resources closed") })
	defer runner.Shutdown()

	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { w.WriteHeader(http.StatusOK) })
	srv := &http.Server{Addr: ":8081", Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	rep := stream.NewReporter(log, "127.0.0.1:2003", 10*time.Second, func() map[string]int { return nil })
	go func() {
		if err := rep.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			log.Warn("reporter", "err", err)
		}
	}()

	select {
	case <-ctx.Done(): // ok: SIGTERM ends the wait and the defers run
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			log.Error("serve", "err", err)
			return 1
		}
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "err", err)
		return 1
	}
	return 0
}
