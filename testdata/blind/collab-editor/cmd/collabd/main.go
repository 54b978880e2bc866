// Command collabd is the collaborative editing server: the live protocol on
// one port, the HTTP API on another, periodic snapshots to a data directory.
package main

import (
	"compress/flate"
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/collab/internal/doc"
	"example.com/collab/internal/httpapi"
	"example.com/collab/internal/ot"
	"example.com/collab/internal/presence"
	"example.com/collab/internal/session"
	"example.com/collab/internal/snapshot"
)

type config struct {
	liveAddr      string
	httpAddr      string
	debugAddr     string
	dataDir       string
	token         string
	snapshotEvery time.Duration
	grace         time.Duration
	undoDepth     int
}

func parseFlags(args []string) (config, error) {
	var cfg config
	fs := flag.NewFlagSet("collabd", flag.ContinueOnError)
	fs.StringVar(&cfg.liveAddr, "live", ":7070", "address of the live editing protocol")
	fs.StringVar(&cfg.httpAddr, "http", ":8080", "address of the HTTP API")
	fs.StringVar(&cfg.debugAddr, "debug", "", "address of the pprof server (disabled if empty)")
	fs.StringVar(&cfg.dataDir, "data", "data", "snapshot directory")
	fs.StringVar(&cfg.token, "token", os.Getenv("COLLAB_TOKEN"), "shared client token")
	fs.DurationVar(&cfg.snapshotEvery, "snapshot-every", 30*time.Second, "snapshot interval")
	fs.DurationVar(&cfg.grace, "grace", 10*time.Second, "shutdown grace period")
	fs.IntVar(&cfg.undoDepth, "undo", 100, "undo steps kept per client")
	if err := fs.Parse(args); err != nil {
		return config{}, err
	}
	return cfg, cfg.validate()
}

func (c config) validate() error {
	switch {
	case c.snapshotEvery < time.Second:
		return fmt.Errorf("-snapshot-every %s is too short", c.snapshotEvery)
	case c.undoDepth < 1:
		return errors.New("-undo must be at least 1")
	case c.liveAddr == c.httpAddr:
		return errors.New("-live and -http must differ")
	}
	return nil
}

func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		log.Fatalf("collabd: %v", err)
	}
	if err := run(cfg); err != nil {
		log.Fatalf("collabd: %v", err)
	}
}

func run(cfg config) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	defer log.Printf("collabd: stopped (data in %s)", cfg.dataDir)

	store := doc.NewStore(ctx, cfg.undoDepth, 64)
	if err := restore(store, cfg.dataDir); err != nil {
		return err
	}
	store.StartAll()

	w, err := snapshot.NewWriter(cfg.dataDir, flate.BestSpeed)
	if err != nil {
		return err
	}
	sched := snapshot.NewScheduler(store, w, cfg.snapshotEvery, 4)
	loader := snapshot.NewLoader(cfg.dataDir, 2)
	defer loader.Close()

	tracker := presence.NewTracker()
	sweeperDone := tracker.StartSweeper(ctx, time.Minute, 5*time.Minute)
	hub := session.NewHub(store, tracker, session.Options{Token: cfg.token})

	events := make(chan httpapi.DocEvent, 16)
	api := httpapi.New(httpapi.Config{Store: store, Loader: loader, Events: events})
	go forwardEvents(ctx, hub, events)

	stopDebug := func() {}
	if cfg.debugAddr != "" {
		stopDebug = startDebugServer(cfg.debugAddr)
	}
	defer stopDebug()

	ln, err := net.Listen("tcp", cfg.liveAddr)
	if err != nil {
		return err
	}
	srv := &http.Server{Addr: cfg.httpAddr, Handler: api.Handler(), ReadHeaderTimeout: 5 * time.Second}

	errc := make(chan error, 3)
	go func() { errc <- hub.Serve(ctx, ln) }()
	go func() { errc <- srv.ListenAndServe() }()
	go func() { errc <- sched.Run(ctx) }()
	go func() {
		// A second signal during the graceful shutdown means "now".
		<-ctx.Done()
		sigs := make(chan os.Signal, 1)
		signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
		<-sigs
		log.Print("collabd: second signal, exiting without cleanup")
		os.Exit(2)
	}()

	log.Printf("collabd: live on %s, http on %s", cfg.liveAddr, cfg.httpAddr)
	select {
	case <-ctx.Done():
	case err = <-errc:
		log.Printf("collabd: component failed: %v", err)
		stop()
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), cfg.grace)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		log.Printf("collabd: http shutdown: %v", err)
	}
	if stuck := store.Drain(time.Second); len(stuck) > 0 {
		log.Printf("collabd: merge loops still running: %v", stuck)
	}
	<-sweeperDone
	return sched.FlushNow(shutdownCtx)
}

// restore loads every snapshot and replays the journals on top.
func restore(store *doc.Store, dir string) error {
	snaps, err := snapshot.LoadAll(dir)
	if err != nil {
		return err
	}
	ids := make([]string, 0, len(snaps))
	for _, s := range snaps {
		if _, err := store.Restore(s); err != nil {
			return err
		}
		ids = append(ids, s.ID)
	}
	n, err := snapshot.ReplayJournals(dir, ids, func(id string, op ot.Op) error {
		d, ok := store.Get(id)
		if !ok {
			return fmt.Errorf("journal for unknown document %s", id)
		}
		_, err := d.Submit(op)
		return err
	})
	if err != nil {
		return err
	}
	log.Printf("collabd: restored %d documents, replayed %d ops", len(snaps), n)
	return nil
}

// forwardEvents disconnects live clients of documents deleted over HTTP.
func forwardEvents(ctx context.Context, hub *session.Hub, events <-chan httpapi.DocEvent) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-events:
			if ev.Kind == "deleted" {
				n := hub.CloseDoc(ev.DocID, "document deleted")
				log.Printf("collabd: closed %d clients of deleted %s", n, ev.DocID)
			}
		}
	}
}

// startDebugServer serves pprof on addr and returns the function that stops it.
func startDebugServer(addr string) func() {
	mux := http.NewServeMux()
	mux.HandleFunc("/debug/pprof/", pprof.Index)
	mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
	mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	srv := &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	go func() {
		if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("collabd: debug server: %v", err)
		}
	}()
	return func() {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		if err := srv.Shutdown(ctx); err != nil {
			log.Printf("collabd: debug server shutdown: %v", err)
		}
	}
}
