// Package meshproxy contains the HTTP data-plane handlers of the sidecar.
package meshproxy

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"
)

type usageRecord struct {
	Tenant string    `json:"tenant"`
	Bytes  int64     `json:"bytes"`
	At     time.Time `json:"at"`
}

// UsageReporter posts per-request byte counts to the billing service.
type UsageReporter struct {
	client   *http.Client
	endpoint string
	log      *slog.Logger
}

func (u *UsageReporter) report(ctx context.Context, tenant string, n int64) {
	body, err := json.Marshal(usageRecord{Tenant: tenant, Bytes: n, At: time.Now().UTC()})
	if err != nil {
		u.log.Warn("marshal usage", "err", err)
		return
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, u.endpoint, bytes.NewReader(body))
	if err != nil {
		u.log.Warn("build usage request", "err", err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := u.client.Do(req)
	if err != nil {
		u.log.Warn("post usage", "endpoint", u.endpoint, "err", err)
		return
	}
	if cerr := resp.Body.Close(); cerr != nil {
		u.log.Debug("close usage response", "err", cerr)
	}
	if resp.StatusCode >= 300 {
		u.log.Warn("billing rejected usage record", "status", resp.Status)
	}
}

type countingWriter struct {
	http.ResponseWriter
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.ResponseWriter.Write(p)
	c.n += int64(n)
	return n, err
}

// ProxyHandler forwards to the upstream and bills the tenant for the bytes.
type ProxyHandler struct {
	upstream http.Handler
	usage    *UsageReporter
}

func (h *ProxyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant := r.Header.Get("X-Tenant-ID")
	if tenant == "" {
		http.Error(w, "missing tenant", http.StatusBadRequest)
		return
	}
	cw := &countingWriter{ResponseWriter: w}
	defer func() { h.usage.report(r.Context(), tenant, cw.n) }() // HAZ defer-blocking-call
	h.upstream.ServeHTTP(cw, r)
}

// AsyncProxyHandler is the variant rolled out after the billing incident:
// the usage POST no longer runs on the request path.
type AsyncProxyHandler struct {
	upstream http.Handler
	usage    *UsageReporter
}

func (h *AsyncProxyHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	tenant := r.Header.Get("X-Tenant-ID")
	if tenant == "" {
		http.Error(w, "missing tenant", http.StatusBadRequest)
		return
	}
	cw := &countingWriter{ResponseWriter: w}
	ctx := context.WithoutCancel(r.Context())
	defer func() { // ok: only starts a goroutine, never waits for it
		n := cw.n
		go h.usage.report(ctx, tenant, n)
	}()
	h.upstream.ServeHTTP(cw, r)
}

// Webhook is a subscriber endpoint.
type Webhook struct {
	URL    string
	Secret string
}

// WebhookFanout accepts an event and notifies every subscriber.
type WebhookFanout struct {
	client   *http.Client
	webhooks []Webhook
	log      *slog.Logger
}

func (f *WebhookFanout) notify(ctx context.Context, hook Webhook, payload []byte) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, bytes.NewReader(payload))
	if err != nil {
		f.log.Warn("webhook request", "url", hook.URL, "err", err)
		return
	}
	req.Header.Set("X-Signature", sign(hook.Secret, payload))
	resp, err := f.client.Do(req)
	if err != nil {
		f.log.Warn("webhook delivery failed", "url", hook.URL, "err", err)
		return
	}
	_ = resp.Body.Close()
}

func (f *WebhookFanout) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var wg sync.WaitGroup
	defer wg.Wait() // HAZ defer-blocking-call
	var evt map[string]any
	if err := json.NewDecoder(r.Body).Decode(&evt); err != nil {
		http.Error(w, "bad event: "+err.Error(), http.StatusBadRequest)
		return
	}
	payload, err := json.Marshal(evt)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	ctx := context.WithoutCancel(r.Context())
	for _, hook := range f.webhooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			f.notify(ctx, hook, payload)
		}()
	}
	w.WriteHeader(http.StatusAccepted)
}

// BuildService checks out a repository and runs its build in a scratch dir.
type BuildService struct {
	git     string
	scratch string
	log     *slog.Logger
}

func (b *BuildService) HandleBuild(w http.ResponseWriter, r *http.Request) {
	repo := r.URL.Query().Get("repo")
	if repo == "" {
		http.Error(w, "repo is required", http.StatusBadRequest)
		return
	}
	dir, err := os.MkdirTemp(b.scratch, "build-*")
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	defer os.RemoveAll(dir) // HAZ defer-blocking-call
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Minute)
	defer cancel()
	clone := exec.CommandContext(ctx, b.git, "clone", "--depth=1", repo, filepath.Join(dir, "src"))
	if out, err := clone.CombinedOutput(); err != nil {
		b.log.Warn("clone failed", "repo", repo, "output", string(out))
		http.Error(w, "clone failed", http.StatusBadGateway)
		return
	}
	w.WriteHeader(http.StatusOK)
}

func sign(secret string, payload []byte) string {
	h := fnv64(secret)
	for _, c := range payload {
		h ^= uint64(c)
		h *= 1099511628211
	}
	return formatHex(h)
}

func fnv64(s string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(s); i++ {
		h ^= uint64(s[i])
		h *= 1099511628211
	}
	return h
}

func formatHex(v uint64) string {
	const digits = "0123456789abcdef"
	var buf [16]byte
	for i := 15; i >= 0; i-- {
		buf[i] = digits[v&0xf]
		v >>= 4
	}
	return string(buf[:])
}
