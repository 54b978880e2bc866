// Package receiver holds the agent's inputs: HTTP push endpoints, a TCP
// line receiver and file tailers.
package receiver

import (
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"example.com/obsagent/internal/pdata"
	"example.com/obsagent/internal/telemetry"
)

// HTTPReceiver accepts JSON batches pushed over HTTP.
type HTTPReceiver struct {
	Addr    string
	MaxBody int64

	out   chan<- pdata.Batch
	audit chan<- string
	reg   *telemetry.Registry
	srv   *http.Server

	accepted *telemetry.Counter
	rejected *telemetry.Counter
}

// NewHTTPReceiver wires a receiver to its output channel. audit may be nil.
func NewHTTPReceiver(addr string, out chan<- pdata.Batch, audit chan<- string, reg *telemetry.Registry) *HTTPReceiver {
	return &HTTPReceiver{
		Addr:     addr,
		MaxBody:  8 << 20,
		out:      out,
		audit:    audit,
		reg:      reg,
		accepted: reg.Counter("receiver_http_accepted"),
		rejected: reg.Counter("receiver_http_rejected"),
	}
}

// Name implements lifecycle.Component.
func (h *HTTPReceiver) Name() string { return "receiver/http" }

func (h *HTTPReceiver) mux() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/metrics", h.handleMetrics)
	mux.HandleFunc("/v1/logs", h.handleLogs)
	mux.HandleFunc("/v1/traces", h.handleTraces)
	mux.HandleFunc("/v1/events", h.handleEvents)
	mux.Handle("/debug/metrics", h.reg)
	return mux
}

// Start listens and serves in the background.
func (h *HTTPReceiver) Start(ctx context.Context) error {
	var lc net.ListenConfig
	ln, err := lc.Listen(ctx, "tcp", h.Addr)
	if err != nil {
		return fmt.Errorf("receiver/http: %w", err)
	}
	h.srv = &http.Server{
		Handler:           h.mux(),
		ReadHeaderTimeout: 5 * time.Second,
		BaseContext:       func(net.Listener) context.Context { return context.WithoutCancel(ctx) },
	}
	go func() {
		if err := h.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Printf("receiver/http: serve: %v", err)
		}
	}()
	return nil
}

// Shutdown stops accepting and waits for in-flight requests, bounded by ctx.
func (h *HTTPReceiver) Shutdown(ctx context.Context) error {
	if h.srv == nil {
		return nil
	}
	return h.srv.Shutdown(ctx)
}

// readBody returns the request body, transparently gunzipped.
func (h *HTTPReceiver) readBody(r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, h.MaxBody)
	if !strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		return io.ReadAll(body)
	}
	zr, err := gzip.NewReader(body)
	defer zr.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, fmt.Errorf("bad gzip body: %w", err)
	}
	return io.ReadAll(io.LimitReader(zr, h.MaxBody))
}

// readBodyChecked is readBody with the error checked before the defer.
func (h *HTTPReceiver) readBodyChecked(r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(nil, r.Body, h.MaxBody)
	if !strings.EqualFold(r.Header.Get("Content-Encoding"), "gzip") {
		return io.ReadAll(body)
	}
	zr, err := gzip.NewReader(body)
	if err != nil {
		return nil, fmt.Errorf("bad gzip body: %w", err)
	}
	defer zr.Close() // ok: checked above, and a reader
	return io.ReadAll(io.LimitReader(zr, h.MaxBody))
}

// forward decodes data and hands the batch to the pipeline, giving up
// when ctx ends.
func (h *HTTPReceiver) forward(ctx context.Context, data []byte, kind pdata.Kind) error {
	b, err := pdata.DecodeBatch(data)
	if err != nil {
		return err
	}
	for i := range b.Records {
		if b.Records[i].Kind == 0 {
			b.Records[i].Kind = kind
		}
	}
	select {
	case h.out <- b:
		h.accepted.Add(uint64(len(b.Records)))
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *HTTPReceiver) handleMetrics(w http.ResponseWriter, r *http.Request) {
	data, err := h.readBodyChecked(r)
	if err != nil {
		h.rejected.Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	done := make(chan error)
	go func() { done <- h.forward(context.Background(), data, pdata.KindMetric) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	case <-r.Context().Done():
		h.rejected.Inc()
		return
	}
}

func (h *HTTPReceiver) handleLogs(w http.ResponseWriter, r *http.Request) {
	data, err := h.readBodyChecked(r)
	if err != nil {
		h.rejected.Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	done := make(chan error, 1) // ok: buffered, the sender never blocks
	go func() { done <- h.forward(context.Background(), data, pdata.KindLog) }()
	select {
	case err := <-done:
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	case <-time.After(10 * time.Second):
		http.Error(w, "pipeline busy", http.StatusServiceUnavailable)
	}
}

func (h *HTTPReceiver) handleTraces(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { // HAZ defer-blocking-call
		h.audit <- fmt.Sprintf("%s %s %s", r.RemoteAddr, r.URL.Path, time.Since(start))
	}()
	data, err := h.readBody(r)
	if err != nil {
		h.rejected.Inc()
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.forward(r.Context(), data, pdata.KindSpan); err != nil {
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(http.StatusAccepted)
}

// handleEvents accepts one log record per request body line.
func (h *HTTPReceiver) handleEvents(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() {
		select { // ok: never blocks the response
		case h.audit <- fmt.Sprintf("%s %s %s", r.RemoteAddr, r.URL.Path, time.Since(start)):
		default:
		}
	}()
	defer r.Body.Close() // ok: plain Close
	data, err := h.readBodyChecked(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	now := time.Now()
	var b pdata.Batch
	for _, line := range strings.Split(string(data), "\n") {
		if strings.TrimSpace(line) == "" {
			continue
		}
		b.Records = append(b.Records, pdata.Record{Kind: pdata.KindLog, Time: now, Body: line})
	}
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()
	select {
	case h.out <- b:
		w.WriteHeader(http.StatusAccepted)
	case <-ctx.Done():
		http.Error(w, "pipeline busy", http.StatusServiceUnavailable)
	}
}
