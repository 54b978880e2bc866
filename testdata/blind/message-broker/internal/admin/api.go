// Package admin exposes the broker's HTTP administration API.
package admin

import (
	"context"
	"encoding/json"
	"errors"
	"log"
	"net/http"
	"time"

	"example.com/messagebroker/internal/ack"
	"example.com/messagebroker/internal/group"
	"example.com/messagebroker/internal/metrics"
	"example.com/messagebroker/internal/server"
	"example.com/messagebroker/internal/topic"
)

// API serves admin endpoints.
type API struct {
	topics  *topic.Registry
	groups  *group.Coordinator
	acks    *ack.Tracker
	srv     *server.Server
	offsets *topic.OffsetStore
	peers   []string
	client  *http.Client
	timeout time.Duration
}

// Options configure the API.
type Options struct {
	Peers       []string
	PeerTimeout time.Duration
}

// New returns an API.
func New(topics *topic.Registry, groups *group.Coordinator, acks *ack.Tracker, srv *server.Server, offsets *topic.OffsetStore, opts Options) *API {
	if opts.PeerTimeout <= 0 {
		opts.PeerTimeout = 5 * time.Second
	}
	return &API{
		topics:  topics,
		groups:  groups,
		acks:    acks,
		srv:     srv,
		offsets: offsets,
		peers:   opts.Peers,
		client:  &http.Client{},
		timeout: opts.PeerTimeout,
	}
}

// Handler returns the routed handler.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /topics", a.handleListTopics)
	mux.HandleFunc("POST /topics", a.handleCreateTopic)
	mux.HandleFunc("DELETE /topics/{name}", a.handleDeleteTopic)
	mux.HandleFunc("GET /topics/{name}/stats", a.handleTopicStats)
	mux.HandleFunc("GET /groups", a.handleGroups)
	mux.HandleFunc("GET /stats", a.handleStats)
	mux.HandleFunc("GET /connections", a.handleConnections)
	mux.HandleFunc("GET /healthz", a.handleHealth)
	mux.HandleFunc("GET /metrics", a.handleMetrics)
	mux.HandleFunc("POST /offsets/save", a.handleSaveOffsets)
	return a.withLogging(a.withRecovery(mux.ServeHTTP))
}

// withRecovery turns handler panics into 500s.
func (a *API) withRecovery(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer a.logPanic(r.URL.Path, recover()) // HAZ recover-ineffective
		h(w, r)
	}
}

// withRecover is the working middleware: recover is called directly by the
// deferred function literal.
func (a *API) withRecover(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				a.logPanic(r.URL.Path, v)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		h(w, r)
	}
}

func (a *API) logPanic(path string, v any) {
	if v == nil {
		return
	}
	log.Printf("admin: panic serving %s: %v", path, v)
	metrics.Default.Counter("admin_panics_total").Inc()
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// withLogging logs each request with its exit-time duration.
func (a *API) withLogging(h http.HandlerFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			log.Printf("admin: %s %s %d %v", r.Method, r.URL.Path, rec.status, time.Since(start))
		}()
		h(rec, r)
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("admin: encode response: %v", err)
	}
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}

// ListenAndServe serves the API until ctx is done, then shuts down with a
// bounded grace period.
func (a *API) ListenAndServe(ctx context.Context, addr string) error {
	srv := &http.Server{Addr: addr, Handler: a.withRecover(a.Handler().ServeHTTP), ReadHeaderTimeout: 5 * time.Second}
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
