// Command eventd accepts events over HTTP and appends them to an event log.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm9/eventlog"
)

func main() {
	if err := run(); err != nil {
		log.Fatalf("eventd: %v", err)
	}
}

func run() (err error) {
	addr := flag.String("addr", ":8080", "listen address")
	path := flag.String("log", "events.jsonl", "event log file")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	l, err := eventlog.Open(*path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, l.Close()) }()
	waitFlusher := l.StartFlusher(ctx, time.Second)

	srv := &http.Server{Addr: *addr, Handler: appendHandler(l), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = srv.Shutdown(shutdownCtx)
	waitFlusher()
	return err
}

func appendHandler(l *eventlog.Log) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			http.Error(w, "POST only", http.StatusMethodNotAllowed)
			return
		}
		var ev eventlog.Event
		if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&ev); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := l.Append(ev); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	})
}
