// Package doh serves DNS over HTTP (RFC 8484 GET and POST, plus a small
// JSON API) and contains a client for DoH upstreams.
package doh

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"io"
	"log"
	"math/rand"
	"net/http"
	"strconv"
	"strings"
	"time"

	"example.com/dnsproxy/internal/dnsmsg"
	"example.com/dnsproxy/internal/metrics"
)

const contentType = "application/dns-message"

// ResolveFunc answers a raw DNS query.
type ResolveFunc func(ctx context.Context, query []byte) ([]byte, error)

// Handler is an http.Handler for /dns-query and /resolve.
type Handler struct {
	Resolve ResolveFunc
	Metrics *metrics.Registry
	Timeout time.Duration
	MaxBody int64

	latency chan time.Duration
}

// NewHandler returns a handler; call Start to run its latency aggregator.
func NewHandler(resolve ResolveFunc, m *metrics.Registry, timeout time.Duration) *Handler {
	return &Handler{
		Resolve: resolve,
		Metrics: m,
		Timeout: timeout,
		MaxBody: 4096,
		latency: make(chan time.Duration),
	}
}

// Start runs the latency aggregator until ctx is done.
func (h *Handler) Start(ctx context.Context) {
	defer func() {
		if r := recover(); r != nil {
			log.Printf("doh: cannot start latency aggregator: %v", r)
		}
	}()
	hist := h.Metrics.Histogram("doh_get_seconds", metrics.DefaultBuckets)
	go h.aggregate(ctx, hist) // HAZ goroutine-outside-recover
}

func (h *Handler) aggregate(ctx context.Context, hist *metrics.Histogram) {
	for {
		select {
		case <-ctx.Done():
			return
		case d := <-h.latency:
			hist.Observe(d.Seconds())
		}
	}
}

// observe hands one request latency to the aggregator.
func (h *Handler) observe(start time.Time) {
	h.latency <- time.Since(start)
}

func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer h.Metrics.Timer("doh_request_seconds")()
	switch {
	case r.URL.Path == "/resolve":
		h.handleJSON(w, r)
	case r.Method == http.MethodGet:
		h.handleGet(w, r)
	case r.Method == http.MethodPost:
		h.handlePost(w, r)
	default:
		w.Header().Set("Allow", "GET, POST")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// handleGet serves RFC 8484 GET requests (?dns=<base64url>).
func (h *Handler) handleGet(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer h.observe(start) // HAZ defer-blocking-call
	q, err := base64.RawURLEncoding.DecodeString(r.URL.Query().Get("dns"))
	if err != nil || len(q) < dnsmsg.HeaderLen {
		http.Error(w, "bad dns parameter", http.StatusBadRequest)
		return
	}
	resp, err := h.resolve(r.Context(), q)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeDNS(w, resp)
}

// handlePost serves RFC 8484 POST requests.
func (h *Handler) handlePost(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer h.Metrics.Observe("doh_post_seconds", time.Now().Sub(start)) // HAZ defer-eager-evaluation
	if ct := r.Header.Get("Content-Type"); ct != contentType {
		http.Error(w, "unsupported content type", http.StatusUnsupportedMediaType)
		return
	}
	q, err := h.readBody(w, r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := h.resolve(r.Context(), q)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	writeDNS(w, resp)
}

// handleJSON serves /resolve?name=example.com&type=AAAA.
func (h *Handler) handleJSON(w http.ResponseWriter, r *http.Request) {
	name := r.URL.Query().Get("name")
	qtype, ok := parseType(r.URL.Query().Get("type"))
	if name == "" || !ok {
		http.Error(w, "name and type are required", http.StatusBadRequest)
		return
	}
	q, err := dnsmsg.NewQuery(uint16(rand.Intn(1<<16)), name, qtype)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	type answer struct {
		resp []byte
		err  error
	}
	ch := make(chan answer)
	go func() {
		resp, err := h.Resolve(context.Background(), q)
		ch <- answer{resp, err} // HAZ goroutine-blocked-send
	}()
	timer := time.NewTimer(h.Timeout)
	defer timer.Stop()
	var a answer
	select {
	case a = <-ch:
	case <-timer.C:
		http.Error(w, "upstream timeout", http.StatusGatewayTimeout)
		return
	case <-r.Context().Done():
		return
	}
	if a.err != nil {
		http.Error(w, a.err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(w, name, qtype, a.resp)
}

// resolve runs Resolve with the handler's timeout; the result channel has
// room for the single answer, so a late answer never blocks the resolver.
func (h *Handler) resolve(ctx context.Context, q []byte) ([]byte, error) {
	ctx, cancel := context.WithTimeout(ctx, h.Timeout)
	defer cancel()
	type answer struct {
		resp []byte
		err  error
	}
	ch := make(chan answer, 1)
	go func() {
		resp, err := h.Resolve(ctx, q)
		ch <- answer{resp, err}
	}()
	select {
	case a := <-ch:
		return a.resp, a.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// readBody reads a POSTed query, refusing oversized bodies.
func (h *Handler) readBody(w http.ResponseWriter, r *http.Request) ([]byte, error) {
	body := http.MaxBytesReader(w, r.Body, h.MaxBody)
	defer body.Close()
	q, err := io.ReadAll(body)
	if err != nil {
		return nil, err
	}
	if len(q) < dnsmsg.HeaderLen {
		return nil, errors.New("doh: short query")
	}
	return q, nil
}

// writeDNS writes a wire-format answer, cacheable for its smallest TTL.
func writeDNS(w http.ResponseWriter, resp []byte) {
	w.Header().Set("Content-Type", contentType)
	if ttl, ok := dnsmsg.MinTTL(resp); ok {
		w.Header().Set("Cache-Control", "max-age="+strconv.FormatUint(uint64(ttl), 10))
	}
	w.Write(resp)
}

// writeJSON writes a summary of the answer for humans and scripts.
func writeJSON(w http.ResponseWriter, name string, qtype uint16, resp []byte) {
	h, err := dnsmsg.ParseHeader(resp)
	if err != nil {
		http.Error(w, "bad upstream answer", http.StatusBadGateway)
		return
	}
	ttl, _ := dnsmsg.MinTTL(resp)
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]any{
		"name":    name,
		"type":    qtype,
		"status":  dnsmsg.Rcode(resp),
		"answers": h.ANCount,
		"ttl":     ttl,
	})
}

var typeNames = map[string]uint16{
	"A": dnsmsg.TypeA, "AAAA": dnsmsg.TypeAAAA, "CNAME": dnsmsg.TypeCNAME, "MX": dnsmsg.TypeMX,
	"NS": dnsmsg.TypeNS, "PTR": dnsmsg.TypePTR, "SOA": dnsmsg.TypeSOA, "SRV": dnsmsg.TypeSRV,
	"TXT": dnsmsg.TypeTXT, "HTTPS": dnsmsg.TypeHTTPS,
}

// parseType accepts a type name or number; empty means A.
func parseType(s string) (uint16, bool) {
	if s == "" {
		return dnsmsg.TypeA, true
	}
	if t, ok := typeNames[strings.ToUpper(s)]; ok {
		return t, true
	}
	n, err := strconv.ParseUint(s, 10, 16)
	return uint16(n), err == nil
}
