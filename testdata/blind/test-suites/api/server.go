// Package api exposes the order service over HTTP.
package api

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync/atomic"
	"time"

	"example.com/testsuites/notify"
	"example.com/testsuites/order"
)

// Repo is the storage the API needs; *store.Memory implements it.
type Repo interface {
	Get(id string) (order.Order, error)
	Create(o order.Order) (order.Order, error)
	Transition(id string, to order.Status) (order.Order, error)
	List(filter func(order.Order) bool) []order.Order
}

// Publisher delivers events; *notify.Notifier implements it.
type Publisher interface {
	Send(ctx context.Context, ev notify.Event) error
}

// Config holds the server settings.
type Config struct {
	Addr          string
	AuditURL      string
	LookupTimeout time.Duration
	MaxBody       int64
	EventBuffer   int
}

// DefaultConfig returns the settings used when nothing is configured.
func DefaultConfig() Config {
	return Config{Addr: ":8080", LookupTimeout: 2 * time.Second, MaxBody: 1 << 20, EventBuffer: 64}
}

// ConfigFromEnv reads ORDERS_ADDR, ORDERS_AUDIT_URL and
// ORDERS_LOOKUP_TIMEOUT on top of the defaults.
func ConfigFromEnv() (Config, error) {
	cfg := DefaultConfig()
	if v := os.Getenv("ORDERS_ADDR"); v != "" {
		cfg.Addr = v
	}
	cfg.AuditURL = os.Getenv("ORDERS_AUDIT_URL")
	if v := os.Getenv("ORDERS_LOOKUP_TIMEOUT"); v != "" {
		d, err := time.ParseDuration(v)
		if err != nil {
			return cfg, fmt.Errorf("api: ORDERS_LOOKUP_TIMEOUT: %w", err)
		}
		cfg.LookupTimeout = d
	}
	return cfg, nil
}

// Server serves the order API.
type Server struct {
	repo   Repo
	pub    Publisher
	cfg    Config
	events chan notify.Event
	client *http.Client
	log    *log.Logger
	mux    *http.ServeMux

	dropped  atomic.Int64
	requests atomic.Int64
}

// NewServer wires the routes. pub may be nil when events are not forwarded.
func NewServer(repo Repo, pub Publisher, cfg Config, l *log.Logger) *Server {
	if l == nil {
		l = log.New(io.Discard, "", 0)
	}
	if cfg.EventBuffer <= 0 {
		cfg.EventBuffer = DefaultConfig().EventBuffer
	}
	s := &Server{
		repo:   repo,
		pub:    pub,
		cfg:    cfg,
		events: make(chan notify.Event, cfg.EventBuffer),
		client: &http.Client{},
		log:    l,
		mux:    http.NewServeMux(),
	}
	s.routes()
	return s
}

func (s *Server) routes() {
	s.mux.HandleFunc("GET /healthz", s.handleHealth)
	s.mux.HandleFunc("GET /orders", s.handleListOrders)
	s.mux.HandleFunc("POST /orders", requireJSON(s.handleCreateOrder))
	s.mux.HandleFunc("POST /orders/bulk", requireJSON(s.handleBulkImport))
	s.mux.HandleFunc("GET /orders/{id}", s.handleGetOrder)
	s.mux.HandleFunc("GET /orders/{id}/total", s.handleOrderTotal)
	s.mux.HandleFunc("POST /orders/{id}/status", s.handleTransition)
	s.mux.HandleFunc("POST /orders/{id}/cancel", s.handleCancel)
	s.mux.HandleFunc("GET /reports/customers", s.handleReport)
	s.mux.HandleFunc("GET /export.csv", s.handleExport)
}

// Handler returns the routes wrapped in the middleware chain.
func (s *Server) Handler() http.Handler {
	return s.recoverer(s.logRequests(s.mux))
}

// Events exposes the queue of order events produced by the handlers.
func (s *Server) Events() <-chan notify.Event { return s.events }

// Dropped reports how many events were dropped because the queue was full.
func (s *Server) Dropped() int64 { return s.dropped.Load() }

// Run serves on addr until ctx is done, then shuts down gracefully.
func (s *Server) Run(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: s.Handler(), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// ForwardEvents sends queued events to the publisher until ctx is done.
func (s *Server) ForwardEvents(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-s.events:
			if s.pub == nil {
				continue
			}
			sendCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			if err := s.pub.Send(sendCtx, ev); err != nil {
				s.log.Printf("forward %s/%s: %v", ev.Type, ev.OrderID, err)
			}
			cancel()
		}
	}
}
