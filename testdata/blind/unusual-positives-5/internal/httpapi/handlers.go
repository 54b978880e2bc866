package httpapi

import (
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log"
	"net/http"
	"os/exec"
	"time"

	"example.com/up5/internal/store"
)

type lookup struct {
	val []byte
	err error
}

// lookup reads key and sends the outcome on ch.
func (h *Handler) lookup(key string, ch chan<- lookup) {
	v, err := h.store.Get(key)
	ch <- lookup{v, err}
}

func (h *Handler) handleGet(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	ch := make(chan lookup)
	go h.lookup(key, ch) // HAZ goroutine-blocked-send
	select {
	case res := <-ch:
		if errors.Is(res.err, store.ErrNotFound) {
			http.NotFound(w, r)
			return
		}
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusInternalServerError)
			return
		}
		w.Write(res.val)
	case <-time.After(h.timeout):
		http.Error(w, "lookup timed out", http.StatusGatewayTimeout)
	case <-r.Context().Done():
	}
}

func (h *Handler) handlePut(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer h.reportUsage("put", key) // HAZ defer-blocking-call
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if err := h.store.Put(key, body); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// runHook runs the configured hook script for an event.
func (h *Handler) runHook(event, key string) {
	if h.hook == "" {
		return
	}
	if err := exec.Command(h.hook, event, key).Run(); err != nil {
		log.Printf("httpapi: hook %s %s: %v", event, key, err)
	}
}

// runHookBounded runs the hook script with a deadline.
func (h *Handler) runHookBounded(event, key string) {
	if h.hook == "" {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := exec.CommandContext(ctx, h.hook, event, key).Run(); err != nil {
		log.Printf("httpapi: hook %s %s: %v", event, key, err)
	}
}

func (h *Handler) handleRestore(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer func() {
		h.runHook("restored", key) // HAZ defer-blocking-call
	}()
	v, err := h.store.Get(key + ".bak")
	if err != nil {
		if v, err = h.fetchUpstreamChecked(key); err != nil {
			http.Error(w, err.Error(), http.StatusNotFound)
			return
		}
	}
	h.store.Put(key, v)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleTouch(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer h.runHookBounded("touched", key)
	if _, err := h.store.Get(key); err != nil {
		if _, err := h.fetchUpstream(key); err != nil {
			http.NotFound(w, r)
			return
		}
	}
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleDelete(w http.ResponseWriter, r *http.Request) {
	key := r.PathValue("key")
	defer func() {
		select {
		case h.audit <- "delete " + key:
		default:
			log.Printf("httpapi: audit full, dropped delete %s", key)
		}
	}()
	go h.reportUsageAsync("delete", key)
	h.store.Delete(key)
	w.WriteHeader(http.StatusNoContent)
}

func (h *Handler) handleBatch(w http.ResponseWriter, r *http.Request) {
	var keys []string
	if err := json.NewDecoder(r.Body).Decode(&keys); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	type item struct {
		i   int
		res lookup
	}
	results := make(chan item, len(keys))
	for i, k := range keys {
		go func() {
			v, err := h.store.Get(k)
			results <- item{i, lookup{v, err}}
		}()
	}
	out := make(map[string]string, len(keys))
	deadline := time.NewTimer(h.timeout)
	defer deadline.Stop()
	for range keys {
		select {
		case it := <-results:
			if it.res.err == nil {
				out[keys[it.i]] = string(it.res.val)
			}
		case <-deadline.C:
			writeJSON(w, http.StatusPartialContent, out)
			return
		}
	}
	writeJSON(w, http.StatusOK, out)
}

func (h *Handler) handleProxy(w http.ResponseWriter, r *http.Request) {
	req, _ := http.NewRequestWithContext(r.Context(), http.MethodGet, h.upstream+"/kv/"+r.PathValue("key"), nil)
	resp, _ := h.client.Do(req)
	w.Header().Set("Via", "up5-proxy")
	defer resp.Body.Close() // HAZ defer-before-error-check
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (h *Handler) handleProxyChecked(w http.ResponseWriter, r *http.Request) {
	req, err := http.NewRequestWithContext(r.Context(), http.MethodGet, h.upstream+"/kv/"+r.PathValue("key"), nil)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	resp, err := h.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	io.Copy(w, resp.Body)
}

func (h *Handler) handleExport(w http.ResponseWriter, r *http.Request) {
	keys, err := h.store.Keys()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Encoding", "gzip")
	zw := gzip.NewWriter(w)
	for _, k := range keys {
		v, err := h.store.Get(k)
		if err != nil {
			continue
		}
		if _, err := zw.Write(append([]byte(k+"\t"), append(v, '\n')...)); err != nil {
			log.Printf("httpapi: export: %v", err)
			return
		}
	}
	if err := zw.Close(); err != nil {
		log.Printf("httpapi: export: %v", err)
	}
}

func (h *Handler) handleStats(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() {
		log.Printf("httpapi: %s served in %s", r.URL.Path, time.Since(start))
	}()
	keys, err := h.store.Keys()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"keys": len(keys)})
}
