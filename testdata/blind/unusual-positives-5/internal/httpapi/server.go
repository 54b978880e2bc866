// Package httpapi exposes a store over HTTP.
package httpapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"time"

	"example.com/up5/internal/store"
)

// Handler serves /kv/{key} and friends.
type Handler struct {
	store    *store.Store
	client   *http.Client
	upstream string
	usageURL string
	hook     string
	timeout  time.Duration
	audit    chan string
	mux      *http.ServeMux
}

// New returns a handler over st. Usage records go to usageURL; misses are
// proxied to upstream.
func New(st *store.Store, upstream, usageURL string) *Handler {
	h := &Handler{
		store:    st,
		client:   &http.Client{Timeout: 5 * time.Second},
		upstream: upstream,
		usageURL: usageURL,
		timeout:  2 * time.Second,
		audit:    make(chan string, 128),
		mux:      http.NewServeMux(),
	}
	h.mux.HandleFunc("GET /kv/{key}", h.handleGet)
	h.mux.HandleFunc("PUT /kv/{key}", h.handlePut)
	h.mux.HandleFunc("DELETE /kv/{key}", h.handleDelete)
	h.mux.HandleFunc("POST /kv/{key}/restore", h.handleRestore)
	h.mux.HandleFunc("POST /kv/{key}/touch", h.handleTouch)
	h.mux.HandleFunc("POST /kv/batch", h.handleBatch)
	h.mux.HandleFunc("GET /proxy/{key}", h.handleProxy)
	h.mux.HandleFunc("GET /proxy2/{key}", h.handleProxyChecked)
	h.mux.HandleFunc("GET /export", h.handleExport)
	h.mux.HandleFunc("GET /stats", h.withRecover("stats", h.handleStats))
	h.mux.HandleFunc("GET /stats2", h.withRecoverSafe("stats", h.handleStats))
	return h
}

// SetHook sets the script run after restores and touches.
func (h *Handler) SetHook(path string) { h.hook = path }

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) { h.mux.ServeHTTP(w, r) }

// Audit returns the audit feed; consumers should drain it.
func (h *Handler) Audit() <-chan string { return h.audit }

// reportUsage posts a usage record to the billing endpoint.
func (h *Handler) reportUsage(op, key string) {
	body, _ := json.Marshal(map[string]string{"op": op, "key": key})
	resp, err := h.client.Post(h.usageURL, "application/json", bytes.NewReader(body))
	if err != nil {
		log.Printf("httpapi: usage: %v", err)
		return
	}
	resp.Body.Close()
}

// reportUsageAsync posts the usage record with its own deadline.
func (h *Handler) reportUsageAsync(op, key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	body, _ := json.Marshal(map[string]string{"op": op, "key": key})
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.usageURL, bytes.NewReader(body))
	if err != nil {
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := h.client.Do(req)
	if err != nil {
		log.Printf("httpapi: usage: %v", err)
		return
	}
	resp.Body.Close()
}

// fetchUpstream fetches key from the upstream server.
func (h *Handler) fetchUpstream(key string) ([]byte, error) {
	get := h.client.Get
	resp, err := get(h.upstream + "/kv/" + key)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upstream %s: %s", key, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// fetchUpstreamChecked is fetchUpstream with the error checked first.
func (h *Handler) fetchUpstreamChecked(key string) ([]byte, error) {
	get := h.client.Get
	resp, err := get(h.upstream + "/kv/" + key)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("upstream %s: %s", key, resp.Status)
	}
	return io.ReadAll(resp.Body)
}

// withRecover turns a panicking handler into a 500 and reports usage in the
// background.
func (h *Handler) withRecover(op string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				log.Printf("httpapi: %s %s: panic: %v", r.Method, r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		go h.reportUsage(op, r.PathValue("key")) // HAZ goroutine-outside-recover
		next(w, r)
	}
}

// withRecoverSafe is withRecover whose background goroutine recovers too.
func (h *Handler) withRecoverSafe(op string, next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				log.Printf("httpapi: %s %s: panic: %v", r.Method, r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		key := r.PathValue("key")
		go func() {
			defer func() {
				if rec := recover(); rec != nil {
					log.Printf("httpapi: usage report panicked: %v", rec)
				}
			}()
			h.reportUsage(op, key)
		}()
		next(w, r)
	}
}

func writeJSON(w http.ResponseWriter, code int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("httpapi: encode: %v", err)
	}
}
