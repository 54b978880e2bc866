// Package httpapi exposes the relay over HTTP. Every handler is built by a
// method returning an http.HandlerFunc, so that per-route state lives in
// the closure.
package httpapi

import (
	"context"
	"encoding/json"
	"log"
	"net/http"
	"time"

	"example.com/up19/internal/catalog"
	"example.com/up19/internal/fanout"
)

const maxBody = 1 << 20

// AuditEntry is one audited admin operation.
type AuditEntry struct {
	Op     string    `json:"op"`
	Topic  string    `json:"topic"`
	Remote string    `json:"remote"`
	Err    string    `json:"err,omitempty"`
	At     time.Time `json:"at"`
}

// Resolver maps a routing key to a target.
type Resolver func(ctx context.Context, key string) (string, error)

// API holds the dependencies of the handlers.
type API struct {
	cat      catalog.Catalog
	broker   *fanout.Broker
	client   *http.Client
	auditURL string
	audit    chan AuditEntry
	resolve  Resolver
	timeout  time.Duration
	log      *log.Logger

	// DataDir is the segment directory served by the export route.
	DataDir string
	// Replicas and Deliver enable the replicate route.
	Replicas []string
	Deliver  fanout.DeliverFunc
}

// New returns an API. Audit entries are consumed by AuditLoop.
func New(cat catalog.Catalog, broker *fanout.Broker, resolve Resolver, auditURL string, lg *log.Logger) *API {
	if lg == nil {
		lg = log.Default()
	}
	return &API{
		cat:      cat,
		broker:   broker,
		client:   &http.Client{},
		auditURL: auditURL,
		audit:    make(chan AuditEntry),
		resolve:  resolve,
		timeout:  time.Second,
		log:      lg,
		DataDir:  "./data",
	}
}

// Routes returns the handler of the whole API.
func (a *API) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/events/{topic}", a.handleIngest())
	mux.HandleFunc("POST /v1/events/{topic}/async", a.handleIngestAsync())
	mux.HandleFunc("POST /v1/events/{topic}/bulk", a.handleBulkIngest())
	mux.HandleFunc("GET /v1/topics", a.handleTopics())
	mux.HandleFunc("PUT /v1/topics/{topic}", a.handleUpsert())
	mux.HandleFunc("DELETE /v1/topics/{topic}", a.handleDelete())
	mux.HandleFunc("GET /v1/route/{key}", a.handleLookup())
	mux.HandleFunc("GET /v1/routes", a.handleBatchLookup())
	mux.HandleFunc("GET /v1/export", a.handleExport())
	mux.HandleFunc("POST /v1/topics/{topic}/retention", a.handleRetention())
	mux.HandleFunc("PUT /v1/topics/{topic}/retention", a.handleRetentionBounded())
	if len(a.Replicas) > 0 && a.Deliver != nil {
		mux.HandleFunc("POST /v1/replicate/{topic}", a.handleReplicate(a.Replicas, a.Deliver))
	}
	mux.HandleFunc("GET /healthz", a.handleHealth(map[string]func(context.Context) error{
		"resolver": func(ctx context.Context) error { _, err := a.resolve(ctx, "_health"); return err },
	}))
	return mux
}

// AuditLoop logs audit entries until ctx ends.
func (a *API) AuditLoop(ctx context.Context) {
	for {
		select {
		case e := <-a.audit:
			b, _ := json.Marshal(e)
			a.log.Printf("audit %s", b)
		case <-ctx.Done():
			return
		}
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("httpapi: encode response: %v", err)
	}
}
