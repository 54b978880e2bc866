// Package api is the public HTTP API: users, orders, reports and search.
package api

import (
	"context"
	"log"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"example.com/fah20/internal/cache"
	"example.com/fah20/internal/middleware"
	"example.com/fah20/internal/pool"
	"example.com/fah20/internal/web"
)

// Config wires the API to its dependencies.
type Config struct {
	DataDir       string
	WebhookURL    string
	Client        *http.Client
	Pool          *pool.Pool
	Backends      []SearchBackend
	SearchTimeout time.Duration
	Logger        *log.Logger
}

type notification struct {
	Event   string `json:"event"`
	Payload any    `json:"payload"`
}

// API holds the handlers' shared state.
type API struct {
	users         *UserStore
	orders        *OrderStore
	pool          *pool.Pool
	reports       *cache.Cache
	backends      []SearchBackend
	searchTimeout time.Duration
	client        *http.Client
	webhookURL    string
	dataDir       string
	logger        *log.Logger
	tracer        *middleware.Tracer

	notifications chan notification
	shipments     chan shipment
	dropped       atomic.Int64
	ctx           context.Context
	cancel        context.CancelFunc
	wg            sync.WaitGroup
}

// New builds the API and starts its notifier.
func New(cfg Config) *API {
	client := cfg.Client
	if client == nil {
		client = http.DefaultClient
	}
	timeout := cfg.SearchTimeout
	if timeout == 0 {
		timeout = 800 * time.Millisecond
	}
	ctx, cancel := context.WithCancel(context.Background())
	a := &API{
		users:         NewUserStore(),
		orders:        NewOrderStore(),
		pool:          cfg.Pool,
		reports:       cache.New(5 * time.Minute),
		backends:      cfg.Backends,
		searchTimeout: timeout,
		client:        client,
		webhookURL:    cfg.WebhookURL,
		dataDir:       cfg.DataDir,
		logger:        cfg.Logger,
		tracer:        middleware.NewTracer(cfg.Logger, 250*time.Millisecond),
		notifications: make(chan notification, 256),
		shipments:     make(chan shipment),
		ctx:           ctx,
		cancel:        cancel,
	}
	a.wg.Add(2)
	go func() {
		defer a.wg.Done()
		a.runNotifier(ctx)
	}()
	go func() {
		defer a.wg.Done()
		a.runShipments(ctx)
	}()
	return a
}

// Close stops the notifier and waits for it to finish its current delivery.
func (a *API) Close() {
	a.cancel()
	a.wg.Wait()
}

// trace starts a span named name; call the result to end it.
func (a *API) trace(name string) func() { return a.tracer.Span("api." + name) }

// Routes returns the API's router.
func (a *API) Routes() *web.Router {
	rt := web.NewRouter()
	rt.HandleFunc("GET /users", a.listUsers)
	rt.HandleFunc("GET /users/{id}", a.getUser)
	rt.HandleFunc("PATCH /users/{id}", a.updateUser)
	rt.HandleFunc("DELETE /users/{id}", a.deleteUser)
	rt.HandleFunc("POST /orders", a.createOrder)
	rt.HandleFunc("POST /orders/{id}/cancel", a.cancelOrder)
	rt.HandleFunc("POST /orders/{id}/ship", a.shipOrder)
	rt.HandleFunc("POST /orders/{id}/refund", a.refundOrder)
	rt.HandleFunc("GET /orders/events", a.streamOrders)
	rt.HandleFunc("POST /quote", a.quoteOrder)
	rt.HandleFunc("POST /quote/v2", a.quoteOrderBuffered)
	rt.HandleFunc("PUT /reports/{name}", a.uploadReport)
	rt.HandleFunc("PUT /reports/{name}/replace", a.replaceReport)
	rt.HandleFunc("GET /reports/{id}", a.getReport)
	rt.HandleFunc("GET /reports/{id}/summary", a.getReportSummary)
	rt.HandleFunc("GET /export/reports", a.exportReports)
	rt.HandleFunc("GET /export/users.csv", a.exportUsersCSV)
	rt.HandleFunc("GET /export/checksums", a.reportChecksums)
	rt.HandleFunc("POST /import/{bundle}", a.importBundle)
	rt.HandleFunc("GET /search", a.search)
	rt.HandleFunc("GET /suggest", a.suggestHandler)
	rt.HandleFunc("POST /admin/reindex", a.reindex)
	return rt
}
