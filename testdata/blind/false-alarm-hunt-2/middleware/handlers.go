package middleware

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// AuditEvent is sent to the audit service.
type AuditEvent struct {
	Path   string    `json:"path"`
	User   string    `json:"user"`
	Status int       `json:"status"`
	At     time.Time `json:"at"`
}

// API serves the public endpoints.
type API struct {
	client   *http.Client
	auditURL string
	logger   *log.Logger
	compute  func(ctx context.Context, q string) (string, error)

	auditCh chan AuditEvent
	dropped atomic.Int64

	mu    sync.Mutex
	cache map[string]string
}

// NewAPI creates the API.
func NewAPI(client *http.Client, auditURL string, logger *log.Logger, compute func(context.Context, string) (string, error)) *API {
	return &API{
		client:   client,
		auditURL: auditURL,
		logger:   logger,
		compute:  compute,
		auditCh:  make(chan AuditEvent, 256),
		cache:    map[string]string{},
	}
}

func (a *API) postAudit(ev AuditEvent) {
	b, _ := json.Marshal(ev)
	resp, err := a.client.Post(a.auditURL, "application/json", bytes.NewReader(b))
	if err != nil {
		a.logger.Printf("audit: %v", err)
		return
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, resp.Body)
}

// postAuditBounded posts an audit event with a short deadline.
func (a *API) postAuditBounded(ev AuditEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	b, _ := json.Marshal(ev)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.auditURL, bytes.NewReader(b))
	if err != nil {
		a.logger.Printf("audit: %v", err)
		return
	}
	resp, err := a.client.Do(req)
	if err != nil {
		a.logger.Printf("audit: %v", err)
		return
	}
	resp.Body.Close()
}

// enqueueAudit hands the event to the background sender without waiting.
func (a *API) enqueueAudit(ev AuditEvent) {
	select {
	case a.auditCh <- ev:
	default:
		a.dropped.Add(1)
	}
}

// RunAuditSender drains the audit queue until ctx ends.
func (a *API) RunAuditSender(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-a.auditCh:
			a.postAuditBounded(ev)
		}
	}
}

// Delete removes a resource and audits it synchronously.
func (a *API) Delete(w http.ResponseWriter, r *http.Request) {
	ev := AuditEvent{Path: r.URL.Path, User: r.Header.Get("X-User"), At: time.Now()}
	defer a.postAudit(ev) // HAZ defer-blocking-call
	a.mu.Lock()
	delete(a.cache, r.URL.Path)
	a.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Update changes a resource and audits it through the queue.
func (a *API) Update(w http.ResponseWriter, r *http.Request) {
	ev := AuditEvent{Path: r.URL.Path, User: r.Header.Get("X-User"), At: time.Now()}
	defer a.enqueueAudit(ev) // ok: non-blocking send with default
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.mu.Lock()
	a.cache[r.URL.Path] = string(body)
	a.mu.Unlock()
	w.WriteHeader(http.StatusNoContent)
}

// Patch audits with a bounded synchronous post.
func (a *API) Patch(w http.ResponseWriter, r *http.Request) {
	ev := AuditEvent{Path: r.URL.Path, At: time.Now()}
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
		defer cancel()
		a.postWithContext(ctx, ev)
	}()
	w.WriteHeader(http.StatusAccepted)
}

func (a *API) postWithContext(ctx context.Context, ev AuditEvent) {
	b, _ := json.Marshal(ev)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, a.auditURL, bytes.NewReader(b))
	if err != nil {
		return
	}
	if resp, err := a.client.Do(req); err == nil {
		resp.Body.Close()
	}
}

type answer struct {
	v   string
	err error
}

// Search computes an answer with a two-second budget.
func (a *API) Search(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query().Get("q")
	ch := make(chan answer)
	go func() { // HAZ goroutine-blocked-send
		v, err := a.compute(context.Background(), q)
		ch <- answer{v, err}
	}()
	select {
	case ans := <-ch:
		writeAnswer(w, ans)
	case <-time.After(2 * time.Second):
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// Lookup is Search with a buffered result channel and a cancelled context.
func (a *API) Lookup(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	q := r.URL.Query().Get("q")
	ch := make(chan answer, 1)
	go func() {
		v, err := a.compute(ctx, q)
		ch <- answer{v, err} // ok: buffered for the single sender
	}()
	select {
	case ans := <-ch:
		writeAnswer(w, ans)
	case <-ctx.Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// Suggest uses an unbuffered channel but the sender also watches the context.
func (a *API) Suggest(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), time.Second)
	defer cancel()
	q := r.URL.Query().Get("q")
	ch := make(chan answer)
	go func() {
		v, err := a.compute(ctx, q)
		select {
		case ch <- answer{v, err}:
		case <-ctx.Done(): // ok: the handler has given up, do not block
		}
	}()
	select {
	case ans := <-ch:
		writeAnswer(w, ans)
	case <-ctx.Done():
		http.Error(w, "timeout", http.StatusGatewayTimeout)
	}
}

// Fanout queries several backends and waits for all of them.
func (a *API) Fanout(w http.ResponseWriter, r *http.Request) {
	qs := r.URL.Query()["q"]
	ch := make(chan answer) // ok: every result is received below
	for _, q := range qs {
		go func() {
			v, err := a.compute(r.Context(), q)
			ch <- answer{v, err}
		}()
	}
	out := make([]string, 0, len(qs))
	var errs []error
	for range qs {
		ans := <-ch
		if ans.err != nil {
			errs = append(errs, ans.err)
			continue
		}
		out = append(out, ans.v)
	}
	if err := errors.Join(errs...); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	json.NewEncoder(w).Encode(out)
}

func writeAnswer(w http.ResponseWriter, ans answer) {
	if ans.err != nil {
		http.Error(w, ans.err.Error(), http.StatusBadGateway)
		return
	}
	fmt.Fprintln(w, ans.v)
}

// Download streams a read-only file.
func (a *API) Download(w http.ResponseWriter, r *http.Request) {
	f, err := os.Open(r.URL.Query().Get("path"))
	if err != nil {
		http.Error(w, "not found", http.StatusNotFound)
		return
	}
	defer f.Close() // ok: read-only, plain Close
	st, err := f.Stat()
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	http.ServeContent(w, r, st.Name(), st.ModTime(), f)
}

// Cached returns a cached value, computing it outside the lock.
func (a *API) Cached(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Path
	a.mu.Lock()
	v, ok := a.cache[key]
	a.mu.Unlock()
	if !ok {
		var err error
		v, err = a.compute(r.Context(), key) // ok: not holding a.mu while computing
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadGateway)
			return
		}
		a.mu.Lock()
		a.cache[key] = v
		a.mu.Unlock()
	}
	fmt.Fprintln(w, v)
}

// Stream writes server-sent events until the client leaves.
func (a *API) Stream(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/event-stream")
	t := time.NewTicker(time.Second)
	defer t.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case now := <-t.C:
			fmt.Fprintf(w, "data: %s\n\n", now.Format(time.RFC3339))
			fl.Flush()
		}
	}
}
