// Command relay is the public edge service: item API, quotes, server-sent
// events and the webhook relay.
package main

import (
	"context"
	"errors"
	"flag"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"example.com/fah22/internal/api"
	"example.com/fah22/internal/cache"
	"example.com/fah22/internal/events"
	"example.com/fah22/internal/httpx"
	"example.com/fah22/internal/sessions"
	"example.com/fah22/internal/trace"
	"example.com/fah22/internal/upstream"
)

type config struct {
	addr      string
	adminAddr string
	upstream  string
	webhook   string
	secret    string
	auditPath string
	grace     time.Duration
	cacheTTL  time.Duration
	workers   int
}

func loadConfig() config {
	var c config
	flag.StringVar(&c.addr, "addr", ":8080", "public listen address")
	flag.StringVar(&c.adminAddr, "admin", "127.0.0.1:9080", "admin listen address")
	flag.StringVar(&c.upstream, "upstream", "http://catalogue.internal", "catalogue base URL")
	flag.StringVar(&c.webhook, "webhook", "", "webhook URL for relayed events")
	flag.StringVar(&c.secret, "webhook-secret", os.Getenv("RELAY_WEBHOOK_SECRET"), "HMAC secret")
	flag.StringVar(&c.auditPath, "audit", "audit.jsonl", "audit log path")
	flag.DurationVar(&c.grace, "grace", 20*time.Second, "shutdown grace period")
	flag.DurationVar(&c.cacheTTL, "cache-ttl", time.Minute, "item cache TTL")
	flag.IntVar(&c.workers, "relay-workers", 4, "webhook delivery workers")
	flag.Parse()
	return c
}

func main() {
	cfg := loadConfig()
	lg := log.New(os.Stderr, "relay ", log.LstdFlags|log.Lmsgprefix)
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, cfg, lg)
	stop()
	if err != nil {
		lg.Fatalf("relay: %v", err)
	}
}

func run(ctx context.Context, cfg config, lg *log.Logger) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	rec := trace.NewRecorder()
	c := cache.New(cfg.cacheTTL, nil)
	go c.Janitor(ctx, time.Minute)
	up := upstream.NewClient(cfg.upstream, 5*time.Second, lg)
	h := api.NewHandlers(api.Deps{
		Cache:    c,
		Upstream: up,
		Sessions: sessions.NewStore(30 * time.Minute),
		Pricing:  api.UpstreamPricer{Client: up, Path: "/prices"},
		Backup:   api.UpstreamPricer{Client: up, Path: "/prices-cached"},
		Recorder: rec,
		Log:      lg,
		Timeout:  2 * time.Second,
	})

	auditDone := make(chan error, 1)
	audit := api.NewAuditLog(cfg.auditPath, 5*time.Second)
	go func() { auditDone <- audit.Drain(ctx, h.Audit()) }()

	broker := events.NewBroker()
	relayDone := make(chan error, 1)
	if cfg.webhook != "" {
		relay, err := events.NewRelay(events.RelayConfig{
			Broker:  broker,
			Sink:    events.NewWebhookSink(cfg.webhook, cfg.secret, 5*time.Second),
			Workers: cfg.workers,
			Log:     lg,
		})
		if err != nil {
			return err
		}
		go func() { relayDone <- relay.RunTopics(ctx, []string{"items", "prices"}) }()
	} else {
		relayDone <- nil
	}

	ln, err := net.Listen("tcp", cfg.adminAddr)
	if err != nil {
		return err
	}
	admin := httpx.NewAdmin(func() any { return rec.Snapshot() }, lg)
	go func() {
		if err := admin.Serve(ctx, ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			lg.Printf("admin: %v", err)
		}
	}()

	mux := http.NewServeMux()
	mux.Handle("/", h.Routes())
	mux.HandleFunc("GET /events", broker.ServeSSE)
	srv := httpx.New(cfg.addr, mux, cfg.grace, lg)

	serveErr := srv.Run(ctx)
	cancel()
	broker.Close()
	relayErr := <-relayDone
	if errors.Is(relayErr, context.Canceled) {
		relayErr = nil
	}
	return errors.Join(serveErr, relayErr, <-auditDone)
}
