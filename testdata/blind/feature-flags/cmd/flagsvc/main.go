// Command flagsvc runs the feature flag service.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"log"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"example.com/flagsvc/internal/audit"
	"example.com/flagsvc/internal/metrics"
	"example.com/flagsvc/internal/server"
	"example.com/flagsvc/internal/store"
	"example.com/flagsvc/internal/stream"
)

type config struct {
	addr         string
	debugAddr    string
	dataPath     string
	auditPath    string
	auditMaxSize int64
	webhooksPath string
	token        string
	peers        stringList
}

type stringList []string

func (l *stringList) String() string     { return strings.Join(*l, ",") }
func (l *stringList) Set(v string) error { *l = append(*l, v); return nil }

type app struct {
	server *server.Server
	store  *store.Store
	audit  *audit.Async
	broker *stream.Broker
}

func main() {
	cfg := parseFlags()
	a, err := setup(cfg)
	if err != nil {
		log.Fatalf("flagsvc: %v", err)
	}
	defer a.close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	log.Printf("flagsvc: listening on %s", cfg.addr)
	if err := a.server.Run(ctx, cfg.addr); err != nil {
		log.Printf("flagsvc: %v", err)
	}
}

func parseFlags() config {
	var cfg config
	flag.StringVar(&cfg.addr, "addr", ":8080", "listen address")
	flag.StringVar(&cfg.debugAddr, "debug-addr", "", "optional listen address for /debug endpoints")
	flag.StringVar(&cfg.dataPath, "data", "flags.json", "flag snapshot file")
	flag.StringVar(&cfg.auditPath, "audit", "audit.log", "audit log file")
	flag.Int64Var(&cfg.auditMaxSize, "audit-max-bytes", 64<<20, "rotate the audit log above this size")
	flag.StringVar(&cfg.webhooksPath, "webhooks", "", "JSON file listing webhooks")
	flag.Var(&cfg.peers, "peer", "peer replica base URL (repeatable)")
	flag.Parse()
	cfg.token = os.Getenv("FLAGSVC_TOKEN")
	return cfg
}

func setup(cfg config) (*app, error) {
	w, err := audit.Open(cfg.auditPath, cfg.auditMaxSize)
	if err != nil {
		return nil, err
	}
	aud := audit.NewAsync(w, 4096)
	st, err := store.Open(cfg.dataPath, store.WithAudit(aud))
	if err != nil {
		aud.Close()
		return nil, err
	}
	var hooks []stream.Webhook
	if cfg.webhooksPath != "" {
		data, err := os.ReadFile(cfg.webhooksPath)
		if err == nil {
			err = json.Unmarshal(data, &hooks)
		}
		if err != nil {
			aud.Close()
			return nil, fmt.Errorf("webhooks: %w", err)
		}
	}
	reg := metrics.NewRegistry()
	broker := stream.NewBroker(512, 20*time.Second)
	srv := server.New(server.Config{
		Store:     st,
		Broker:    broker,
		Notifier:  stream.NewNotifier(&http.Client{Timeout: 10 * time.Second}, hooks, reg),
		Audit:     aud,
		Metrics:   reg,
		Peers:     cfg.peers,
		Token:     cfg.token,
		DebugAddr: cfg.debugAddr,
	})
	return &app{server: srv, store: st, audit: aud, broker: broker}, nil
}

// close persists the store and drains the audit log; errors are logged
// because there is nobody left to return them to.
func (a *app) close() {
	a.broker.Close()
	if err := a.store.Close(); err != nil {
		log.Printf("flagsvc: close store: %v", err)
	}
	if err := a.audit.Close(); err != nil {
		log.Printf("flagsvc: close audit log: %v", err)
	}
}
