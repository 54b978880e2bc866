// Command gateway fronts the RPC backend over HTTP.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/falsealarm2/middleware"
	"example.com/falsealarm2/rpc"
	"example.com/falsealarm2/wal"
)

func main() {
	addr := flag.String("addr", ":8000", "listen address")
	backend := flag.String("backend", "127.0.0.1:9090", "RPC backend")
	journal := flag.String("journal", "gateway-journal", "request journal directory")
	flag.Parse()

	logger := log.New(os.Stderr, "gateway: ", log.LstdFlags)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	client, err := rpc.Dial(dctx, *backend)
	cancel()
	if err != nil {
		logger.Printf("dial: %v", err)
		return
	}
	defer client.Close()

	j, err := wal.Open(*journal, 16<<20)
	if err != nil {
		logger.Printf("journal: %v", err)
		return
	}
	defer func() {
		if err := j.Close(); err != nil {
			logger.Printf("journal close: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("POST /call/{method}", func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := j.Append(body); err != nil {
			http.Error(w, err.Error(), http.StatusInternalServerError)
			return
		}
		var out json.RawMessage
		if err := client.Call(r.Context(), r.PathValue("method"), json.RawMessage(body), &out); err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(out)
	})
	srv := &http.Server{
		Addr:              *addr,
		Handler:           middleware.Chain(mux, middleware.Recover(logger), middleware.Logging(logger), middleware.Timeout(10*time.Second)),
		ReadHeaderTimeout: 5 * time.Second,
	}

	shutdownDone := make(chan struct{})
	go func() {
		defer close(shutdownDone)
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("shutdown: %v", err)
		}
	}()

	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) { // ok: SIGTERM cancels ctx, Shutdown unblocks this
		logger.Printf("serve: %v", err)
		stop() // wake the shutdown goroutine
	}
	<-shutdownDone
}
