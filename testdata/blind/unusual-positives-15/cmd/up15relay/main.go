// Command up15relay serves a read-mostly copy of an up15 store. It shuts
// down cleanly on SIGINT/SIGTERM so its journal is flushed.
package main

import (
	"context"
	"flag"
	"log"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/up15/internal/api"
	"example.com/up15/internal/blob"
	"example.com/up15/internal/index"
	"example.com/up15/internal/journal"
	"example.com/up15/internal/metrics"
)

func main() {
	os.Exit(run())
}

func drain(ctx context.Context, events <-chan api.Event, j *journal.Journal, lg *log.Logger) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			if err := j.Append(ev.Kind, ev.Key); err != nil {
				lg.Printf("journal: %v", err)
			}
		}
	}
}

func run() int {
	addr := flag.String("addr", ":8081", "listen address")
	root := flag.String("root", "/var/lib/up15-relay", "store root")
	jdir := flag.String("journal", "/var/lib/up15-relay/journal", "journal directory")
	flag.Parse()
	lg := log.New(os.Stderr, "up15relay: ", log.LstdFlags)

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	j, err := journal.Open(*jdir, 64<<20)
	if err != nil {
		lg.Printf("open journal: %v", err)
		return 1
	}
	defer func() {
		if err := j.Close(); err != nil {
			lg.Printf("close journal: %v", err)
		}
	}()
	m := metrics.NewMeter()
	st, err := blob.NewStore(*root, m)
	if err != nil {
		lg.Printf("open store: %v", err)
		return 1
	}
	srv := api.NewServer(index.New("relay"), st, m, lg)
	httpSrv := &http.Server{Addr: *addr, Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	go drain(ctx, srv.Events(), j, lg)

	errc := make(chan error, 1)
	go func() { errc <- httpSrv.ListenAndServe() }()
	select {
	case err := <-errc:
		lg.Printf("serve: %v", err)
		return 1
	case <-ctx.Done():
		lg.Printf("shutting down")
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	defer httpSrv.Shutdown(sctx)
	return 0
}
