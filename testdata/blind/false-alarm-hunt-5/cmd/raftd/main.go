// Command raftd runs one member of a replicated log and exposes its status
// and metrics over HTTP.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"example.com/falsealarm5/metrics"
	"example.com/falsealarm5/raftlog"
)

type config struct {
	id       uint64
	peers    []uint64
	dataDir  string
	httpAddr string
	tick     time.Duration
}

func parseFlags(args []string) (config, error) {
	fs := flag.NewFlagSet("raftd", flag.ContinueOnError)
	var cfg config
	var peers string
	fs.Uint64Var(&cfg.id, "id", 1, "member id")
	fs.StringVar(&peers, "peers", "1", "comma-separated member ids")
	fs.StringVar(&cfg.dataDir, "data", "raftd-data", "data directory")
	fs.StringVar(&cfg.httpAddr, "http", "127.0.0.1:7070", "status listen address")
	fs.DurationVar(&cfg.tick, "tick", 100*time.Millisecond, "tick interval")
	if err := fs.Parse(args); err != nil {
		return cfg, err
	}
	for _, p := range strings.Split(peers, ",") {
		id, err := strconv.ParseUint(strings.TrimSpace(p), 10, 64)
		if err != nil {
			return cfg, fmt.Errorf("bad peer id %q: %w", p, err)
		}
		cfg.peers = append(cfg.peers, id)
	}
	return cfg, nil
}

// loopback delivers messages to the local node only; a real deployment
// plugs in a network transport here.
type loopback struct{ node *raftlog.Node }

func (t *loopback) Send(ctx context.Context, m raftlog.Message) error {
	if t.node == nil || m.To != m.From {
		return nil
	}
	return t.node.Step(ctx, m)
}

// main parses flags (exiting before any defer exists) and hands the exit
// code of run to os.Exit; main itself registers no deferred calls.
func main() {
	cfg, err := parseFlags(os.Args[1:])
	if err != nil {
		log.Fatalf("raftd: %v", err)
	}
	os.Exit(run(cfg))
}

// run owns every deferred cleanup and returns instead of exiting. SIGINT
// and SIGTERM cancel ctx, which ends the serving loop below.
func run(cfg config) int {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	logger := log.New(os.Stderr, "raftd ", log.LstdFlags|log.Lmicroseconds)

	l, _, err := raftlog.RestoreLog(cfg.dataDir+"/snap", cfg.dataDir+"/wal")
	if err != nil {
		logger.Printf("restore: %v", err)
		return 1
	}
	st, err := raftlog.OpenDiskStorage(cfg.dataDir+"/wal", l.LastIndex()+1, 64<<20, logger)
	if err != nil {
		logger.Printf("storage: %v", err)
		return 1
	}
	defer func() {
		if err := st.Close(); err != nil {
			logger.Printf("closing storage: %v", err)
		}
	}()

	tr := &loopback{}
	node := raftlog.NewNode(raftlog.Config{ID: cfg.id, Peers: cfg.peers, Log: l, Storage: st,
		Transport: tr, Logger: logger, TickInterval: cfg.tick})
	tr.node = node
	node.Start(ctx)
	defer node.Stop()

	reg := metrics.NewRegistry(logger)
	reg.MustRegister(metrics.NewGoCollector(5 * time.Second))
	mux := http.NewServeMux()
	mux.Handle("/metrics", &metrics.Handler{Reg: reg, Logger: logger})
	mux.HandleFunc("/status", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		if err := json.NewEncoder(w).Encode(node.Status()); err != nil {
			logger.Printf("status: %v", err)
		}
	})
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	ln, err := net.Listen("tcp", cfg.httpAddr)
	if err != nil {
		logger.Printf("listen: %v", err)
		return 1
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()

	select {
	case err := <-errc:
		logger.Printf("serve: %v", err)
		return 1
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		logger.Printf("shutdown: %v", err)
		return 1
	}
	return 0
}
