package lifecycle

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

// Upstream calls a backend with a bounded client.
type Upstream struct {
	base    string
	client  *http.Client
	metrics chan<- string
	mu      sync.Mutex
	calls   int
}

// NewUpstream returns an upstream whose client gives up after timeout.
func NewUpstream(base string, timeout time.Duration, metrics chan<- string) *Upstream {
	return &Upstream{base: base, client: &http.Client{Timeout: timeout}, metrics: metrics}
}

// Proxy forwards the request body and copies the answer.
func (u *Upstream) Proxy(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close() // ok: plain Close
	u.mu.Lock()
	u.calls++
	u.mu.Unlock()
	defer func() {
		select {
		case u.metrics <- r.URL.Path: // ok: select with default never waits
		default:
		}
	}()
	req, err := http.NewRequestWithContext(r.Context(), r.Method, u.base+r.URL.Path, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	resp, err := u.client.Do(req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	defer func() {
		_, _ = io.CopyN(io.Discard, resp.Body, 4<<10) // ok: at most 4 KiB, and client.Timeout covers the body
		resp.Body.Close()
	}()
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// Calls returns the number of proxied requests.
func (u *Upstream) Calls() int {
	u.mu.Lock()
	defer u.mu.Unlock()
	return u.calls
}

// Batch answers with the status of several keys, looked up concurrently
// with a per-request deadline.
func (u *Upstream) Batch(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	keys := r.URL.Query()["k"]
	type kv struct {
		k  string
		ok bool
	}
	ch := make(chan kv, len(keys))
	for _, k := range keys {
		go func() {
			req, err := http.NewRequestWithContext(ctx, http.MethodHead, u.base+"/"+k, nil)
			if err != nil {
				ch <- kv{k, false}
				return
			}
			resp, err := u.client.Do(req)
			if err != nil {
				ch <- kv{k, false}
				return
			}
			resp.Body.Close()
			ch <- kv{k, resp.StatusCode == http.StatusOK}
		}()
	}
	out := make(map[string]bool, len(keys))
	for range keys {
		select {
		case res := <-ch:
			out[res.k] = res.ok
		case <-ctx.Done():
			http.Error(w, "timeout", http.StatusGatewayTimeout) // ok: ch has a slot per goroutine
			return
		}
	}
	_ = json.NewEncoder(w).Encode(out)
}

// Stream sends server-sent events until the client leaves; the ticker is
// stopped on return.
func (u *Upstream) Stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case now := <-t.C:
			if _, err := io.WriteString(w, "data: "+now.Format(time.RFC3339)+"\n\n"); err != nil {
				return
			}
			fl.Flush()
		}
	}
}

// Hijack takes over the connection for a raw protocol and closes it when done.
func (u *Upstream) Hijack(w http.ResponseWriter, r *http.Request) {
	hj, ok := w.(http.Hijacker)
	if !ok {
		http.Error(w, "hijack unsupported", http.StatusInternalServerError)
		return
	}
	conn, buf, err := hj.Hijack()
	if err != nil {
		log.Printf("hijack: %v", err)
		return
	}
	defer conn.Close() // ok: plain Close of the connection
	_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	line, err := buf.ReadString('\n')
	if err != nil {
		return
	}
	_, _ = buf.WriteString("ECHO " + line)
	_ = buf.Flush()
}

// Idle closes pooled connections when the maintenance call returns.
func (u *Upstream) Idle(fn func()) {
	defer u.client.CloseIdleConnections() // ok: closes, does not wait for I/O
	fn()
}
