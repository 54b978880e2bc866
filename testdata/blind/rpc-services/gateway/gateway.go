// Package gateway maps REST routes onto RPC methods of the services found
// in the registry.
package gateway

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"example.com/rpcservices/interceptors"
	"example.com/rpcservices/registry"
	"example.com/rpcservices/rpc"
	"example.com/rpcservices/trace"
)

// Filter inspects a request before it is proxied; an error rejects it.
type Filter func(*http.Request) error

// AccessRecord is one line of the access log.
type AccessRecord struct {
	Method   string
	Path     string
	Status   int
	Duration time.Duration
}

// Gateway is an http.Handler.
type Gateway struct {
	mu        sync.RWMutex
	routes    map[string]Route
	clients   map[string]*rpc.Client
	pickers   map[string]*registry.RoundRobin
	refreshed map[string]time.Time
	resolver  *registry.Resolver
	tracer    *trace.Tracer
	log       *slog.Logger
	hc        *http.Client
	filters   []Filter
	accessLog func(AccessRecord)
	metrics   *Metrics
}

// Option configures a Gateway.
type Option func(*Gateway)

// WithFilters installs request filters; a panicking filter is logged.
func WithFilters(fs ...Filter) Option {
	return func(g *Gateway) {
		for _, f := range fs {
			g.filters = append(g.filters, g.safeFilter(f))
		}
	}
}

// WithAccessLog installs an access log callback.
func WithAccessLog(fn func(AccessRecord)) Option { return func(g *Gateway) { g.accessLog = fn } }

// New returns a gateway with no routes.
func New(resolver *registry.Resolver, tracer *trace.Tracer, log *slog.Logger, opts ...Option) *Gateway {
	g := &Gateway{
		routes:    make(map[string]Route),
		clients:   make(map[string]*rpc.Client),
		pickers:   make(map[string]*registry.RoundRobin),
		refreshed: make(map[string]time.Time),
		resolver:  resolver,
		tracer:    tracer,
		log:       log,
		hc:        &http.Client{Timeout: 30 * time.Second},
		metrics:   NewMetrics(),
	}
	for _, o := range opts {
		o(g)
	}
	return g
}

func (g *Gateway) clientOptions() []rpc.ClientOption {
	return []rpc.ClientOption{
		rpc.WithHTTPClient(g.hc),
		rpc.WithClientInterceptors(
			interceptors.TracingClient(g.tracer),
			interceptors.PropagateMetadata(interceptors.RequestIDKey),
			interceptors.DeadlineClient(10*time.Second),
			interceptors.RetryClient(interceptors.DefaultRetryPolicy()),
		),
	}
}

type statusRecorder struct {
	http.ResponseWriter
	code int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.code = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Flush() {
	if fl, ok := s.ResponseWriter.(http.Flusher); ok {
		fl.Flush()
	}
}

// ServeHTTP routes, filters and proxies one request.
func (g *Gateway) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, code: http.StatusOK}
	defer func() {
		if p := recover(); p != nil {
			g.log.Error("panic in gateway", "path", r.URL.Path, "panic", p)
			http.Error(rec, "internal error", http.StatusInternalServerError)
		}
	}()
	route, ok := g.match(r.Method, r.URL.Path)
	if !ok {
		http.NotFound(rec, r)
		return
	}
	if g.claimRefresh(route.Service) {
		go g.refreshPicker(route.Service) // HAZ goroutine-outside-recover
	}
	for _, f := range g.filters {
		if err := g.runFilter(f, r); err != nil {
			http.Error(rec, err.Error(), http.StatusForbidden)
			return
		}
	}
	if route.Stream {
		g.proxyStream(rec, r, route)
	} else {
		g.proxy(rec, r, route)
	}
	g.metrics.Observe(route.Key(), rec.code)
	g.emitAccess(AccessRecord{Method: r.Method, Path: r.URL.Path, Status: rec.code, Duration: time.Since(start)})
}

// proxy forwards a unary call.
func (g *Gateway) proxy(w http.ResponseWriter, r *http.Request, route Route) {
	ctx, span := g.tracer.Start(r.Context(), "gateway "+route.Key())
	var err error
	defer span.Finish(err) // HAZ defer-eager-evaluation
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, "read body", http.StatusBadRequest)
		return
	}
	client, err := g.clientFor(ctx, route.Service)
	if err != nil {
		writeRPCError(w, err)
		return
	}
	var reply json.RawMessage
	err = client.Invoke(ctx, route.FullMethod(), json.RawMessage(body), &reply)
	if err != nil {
		writeRPCError(w, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	_, _ = w.Write(reply)
}

// proxyStream forwards a server-streaming call as JSON lines. The span is
// finished by a closure that reads err when the function returns.
func (g *Gateway) proxyStream(w http.ResponseWriter, r *http.Request, route Route) {
	ctx, span := g.tracer.Start(r.Context(), "gateway stream "+route.Key())
	var err error
	defer func() { span.Finish(err) }()
	var req json.RawMessage
	if err = json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&req); err != nil {
		http.Error(w, "bad request body", http.StatusBadRequest)
		return
	}
	client, err := g.clientFor(ctx, route.Service)
	if err != nil {
		writeRPCError(w, err)
		return
	}
	cs, err := client.NewStream(ctx, route.FullMethod(), req)
	if err != nil {
		writeRPCError(w, err)
		return
	}
	defer cs.Close()
	w.Header().Set("Content-Type", "application/x-ndjson")
	fl, _ := w.(http.Flusher)
	for {
		var msg json.RawMessage
		if err = cs.Recv(&msg); err != nil {
			break
		}
		if _, err = w.Write(append(msg, '\n')); err != nil {
			return
		}
		if fl != nil {
			fl.Flush()
		}
	}
	if errors.Is(err, io.EOF) {
		err = nil
	}
}

func writeRPCError(w http.ResponseWriter, err error) {
	st := rpc.StatusOf(err)
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(st.Code.HTTPStatus())
	_ = json.NewEncoder(w).Encode(st)
}

// Serve runs srv until ctx ends, then shuts it down with a bounded timeout.
// The error channel is buffered, so the serving goroutine can always finish.
func (g *Gateway) Serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// DebugSpans serves the buffered spans.
func (g *Gateway) DebugSpans(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/x-ndjson")
	if err := trace.WriteJSONL(w, g.tracer.Recent()); err != nil {
		g.log.Warn("debug spans", "err", err)
	}
}
