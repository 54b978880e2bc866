// Command brokerd exposes the pub/sub broker over TCP and an HTTP publish
// endpoint, and shuts down cleanly on SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/conclib/pubsub"
)

func publishHandler(b *pubsub.Broker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer r.Body.Close() // ok: closing a request body never blocks
		body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if err := b.Publish(pubsub.Message{Topic: r.URL.Query().Get("topic"), Payload: body}); err != nil {
			http.Error(w, err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	}
}

func requestHandler(b *pubsub.Broker) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
		defer cancel()
		m, err := b.Request(ctx, r.URL.Query().Get("topic"), nil)
		if err != nil {
			http.Error(w, err.Error(), http.StatusGatewayTimeout)
			return
		}
		_, _ = w.Write(m.Payload)
	}
}

func main() {
	httpAddr := flag.String("http", ":8090", "HTTP address")
	tcpAddr := flag.String("tcp", ":7070", "TCP ingest address")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	b := pubsub.New(pubsub.DropOldest, 100*time.Millisecond, log.Default())
	defer b.Close()

	ln, err := net.Listen("tcp", *tcpAddr)
	if err != nil {
		log.Printf("brokerd: %v", err)
		return
	}
	defer ln.Close()
	go func() {
		if err := b.Listen(ln); err != nil && !errors.Is(err, net.ErrClosed) {
			log.Printf("brokerd: tcp: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.HandleFunc("/publish", publishHandler(b))
	mux.HandleFunc("/request", requestHandler(b))
	srv := &http.Server{Addr: *httpAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil { // ok: bounded by a timeout
			log.Printf("brokerd: shutdown: %v", err)
		}
	}()

	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("brokerd: http: %v", err)
			stop()
		}
	}()
	<-ctx.Done() // ok: SIGTERM ends the wait and the defers run
	log.Printf("brokerd: shutting down")
}
