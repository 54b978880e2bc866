// Command jrd is the job runner daemon: it accepts artifacts, runs plugin
// actions and reports task status over HTTP.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/unusualpos4/internal/artifact"
	"example.com/unusualpos4/internal/plugin"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "jrd:", err)
		os.Exit(1)
	}
}

func run() error {
	addr := flag.String("addr", ":8420", "listen address")
	root := flag.String("root", "/var/lib/jrd", "artifact directory")
	webhook := flag.String("webhook", "", "URL notified of every published artifact")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	store, err := artifact.NewFSStore(*root)
	if err != nil {
		return err
	}
	pub := artifact.NewPublisher(store, *webhook)
	reg := plugin.NewRegistry(log.Printf)
	sv := newServer(reg)

	mux := http.NewServeMux()
	mux.Handle("POST /artifacts", pub)
	mux.HandleFunc("GET /status/{id}", sv.handleStatus)
	mux.HandleFunc("POST /plugins/{name}", sv.handlePlugin)
	srv := &http.Server{Addr: *addr, Handler: mux, ReadHeaderTimeout: 10 * time.Second}

	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
		log.Printf("jrd: shutting down")
	}

	shutCtx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutCtx); err != nil {
		return err
	}
	if err := sv.waitCtx(shutCtx); err != nil {
		return err
	}
	return pub.Drain(shutCtx)
}
