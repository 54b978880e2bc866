package scrape

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"time"
)

// API serves the scraper's HTTP endpoints.
type API struct {
	Pool   *Pool
	Rules  *Evaluator
	audit  chan string
	mu     sync.Mutex
	reqs   map[string]int
	latSum time.Duration
}

// NewAPI returns an API with an audit queue of the given size.
func NewAPI(p *Pool, ev *Evaluator, auditBuf int) *API {
	return &API{Pool: p, Rules: ev, audit: make(chan string, auditBuf), reqs: map[string]int{}}
}

// count records one request; it takes a.mu.
func (a *API) count(path string, d time.Duration) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.reqs[path]++
	a.latSum += d
}

// enqueueAudit hands an entry to the audit writer without blocking.
func (a *API) enqueueAudit(entry string) {
	select {
	case a.audit <- entry:
	default:
		log.Printf("audit queue full, dropping %q", entry)
	}
}

// handleTargets lists targets with their health.
func (a *API) handleTargets(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	defer func() { log.Printf("/targets served in %s", time.Since(start)) }() // ok: elapsed computed when the closure runs
	type row struct {
		URL    string `json:"url"`
		Health string `json:"health"`
		Error  string `json:"error,omitempty"`
	}
	var rows []row
	for _, t := range a.Pool.targetsSnapshot() {
		h, err := t.Health()
		rr := row{URL: t.URL, Health: h}
		if err != nil {
			rr.Error = err.Error()
		}
		rows = append(rows, rr)
	}
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(rows); err != nil {
		log.Printf("encode targets: %v", err)
	}
	a.count("/targets", time.Since(start))
}

// handleSync replaces the target list from the request body.
func (a *API) handleSync(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()                              // ok: request body, plain Close
	defer a.enqueueAudit("sync from " + r.RemoteAddr) // ok: non-blocking send with default
	var urls []string
	if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&urls); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.Pool.Sync(urls)
	w.WriteHeader(http.StatusNoContent)
}

// handleReload re-evaluates rules and records an audit entry.
func (a *API) handleReload(w http.ResponseWriter, r *http.Request) {
	defer func() { a.audit <- "reload from " + r.RemoteAddr }() // HAZ defer-blocking-call
	ctx, cancel := context.WithTimeout(r.Context(), 10*time.Second)
	defer cancel()
	if err := a.Rules.EvalAll(ctx); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	fmt.Fprintln(w, "ok")
}

// handleQuery returns the latest samples of one target as text.
func (a *API) handleQuery(w http.ResponseWriter, r *http.Request) {
	url := r.URL.Query().Get("target")
	if url == "" {
		http.Error(w, "missing target", http.StatusBadRequest)
		return
	}
	bw := bufio.NewWriter(w)
	for _, s := range a.Pool.Latest(url) {
		fmt.Fprintf(bw, "%s %g\n", s.Name, s.Value)
	}
	if err := bw.Flush(); err != nil { // ok: explicit checked flush, no defer
		log.Printf("query %s: %v", url, err)
	}
}

// handleAlerts returns active alerts.
func (a *API) handleAlerts(w http.ResponseWriter, r *http.Request) {
	alerts := a.Rules.Active()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(alerts)
}

// RunAuditWriter writes audit entries until ctx ends. It is the only reader
// of the audit queue.
func (a *API) RunAuditWriter(ctx context.Context, out io.Writer) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-a.audit:
			fmt.Fprintf(out, "%s %s\n", time.Now().Format(time.RFC3339), e)
		}
	}
}

// Stats returns request counts.
func (a *API) Stats() string {
	a.mu.Lock()
	defer a.mu.Unlock()
	var b strings.Builder
	for p, n := range a.reqs {
		fmt.Fprintf(&b, "%s %d\n", p, n)
	}
	fmt.Fprintf(&b, "latency_sum %s\n", a.latSum)
	return b.String()
}

// withRecover converts handler panics into 500s and logs them; it re-panics
// http.ErrAbortHandler so the server can abort the connection.
func withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				log.Printf("panic serving %s: %v", r.URL.Path, rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// withTimeout bounds every request.
func withTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Handler builds the routed handler.
func (a *API) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/targets", a.handleTargets)
	mux.HandleFunc("/sync", a.handleSync)
	mux.HandleFunc("/reload", a.handleReload)
	mux.HandleFunc("/query", a.handleQuery)
	mux.HandleFunc("/alerts", a.handleAlerts)
	return withRecover(withTimeout(30*time.Second, mux))
}

// Push sends samples to a remote-write endpoint, closing the body after the
// error check and draining it so the connection is reused.
func Push(ctx context.Context, c *http.Client, url string, body io.Reader) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, body)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("remote write: HTTP %d", resp.StatusCode)
	}
	return nil
}
