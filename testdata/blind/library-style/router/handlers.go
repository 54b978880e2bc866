package router

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"time"
)

// ServeHTTP dispatches to the matching handler.
func (r *Router) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	h := r.lookup(req.URL.Path)
	if h == nil {
		h = r.notFound
	}
	h.ServeHTTP(w, req)
}

// Handle registers h for pattern; a trailing slash registers a prefix.
func (r *Router) Handle(pattern string, h http.Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing := r.lookup(pattern); existing != nil { // HAZ lock-reentry-under-defer
		r.logger.Printf("router: replacing handler for %s", pattern)
	}
	r.addLocked(pattern, h)
}

// Replace registers h for pattern, logging when it replaces a handler.
func (r *Router) Replace(pattern string, h http.Handler) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if existing := r.lookupLocked(pattern); existing != nil {
		r.logger.Printf("router: replacing handler for %s", pattern)
	}
	r.addLocked(pattern, h)
}

func (r *Router) addLocked(pattern string, h http.Handler) {
	if _, ok := r.routes[pattern]; !ok && strings.HasSuffix(pattern, "/") {
		r.prefixes = append(r.prefixes, pattern)
		sort.Slice(r.prefixes, func(i, j int) bool { return len(r.prefixes[i]) > len(r.prefixes[j]) })
	}
	r.routes[pattern] = r.wrapLocked(h)
}

// MustHandle registers h for pattern and panics on a duplicate.
func (r *Router) MustHandle(pattern string, h http.Handler) {
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.routes[pattern]; dup {
		panic("router: duplicate route " + pattern)
	}
	r.addLocked(pattern, h)
	r.mu.Unlock()
}

// Remove unregisters pattern and reports whether it existed.
func (r *Router) Remove(pattern string) bool {
	r.mu.Lock()
	_, ok := r.routes[pattern]
	if !ok {
		r.mu.Unlock()
		return false
	}
	delete(r.routes, pattern)
	kept := r.prefixes[:0]
	for _, p := range r.prefixes {
		if p != pattern {
			kept = append(kept, p)
		}
	}
	r.prefixes = kept
	r.mu.Unlock()
	return true
}

// Mount copies child's routes under prefix.
func (r *Router) Mount(prefix string, child *Router) {
	if child == r {
		panic("router: cannot mount a router on itself")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, p := range child.Routes() {
		if h := child.lookup(p); h != nil {
			r.addLocked(strings.TrimSuffix(prefix, "/")+p, h)
		}
	}
}

// Allowed reports whether path has a handler.
func (r *Router) Allowed(path string) bool {
	r.mu.RLock()
	defer r.mu.Unlock() // HAZ defer-lock-mismatch
	return r.lookupLocked(path) != nil
}

// Has reports whether pattern is registered exactly.
func (r *Router) Has(pattern string) bool {
	r.mu.RLock()
	defer r.mu.RUnlock()
	_, ok := r.routes[pattern]
	return ok
}

// AccessLog records status and latency per route.
func (r *Router) AccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		defer r.metrics.record(req.URL.Path, start, time.Now(), rec.status) // HAZ defer-eager-evaluation
		next.ServeHTTP(rec, req)
	})
}

// AccessLogDeferred records status and latency per route.
func (r *Router) AccessLogDeferred(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		start := time.Now()
		defer func() {
			r.metrics.record(req.URL.Path, start, time.Now(), rec.status)
		}()
		next.ServeHTTP(rec, req)
	})
}

// Timed measures each request.
func (r *Router) Timed(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer r.metrics.timer(req.URL.Path) // HAZ defer-func-result-not-called
		next.ServeHTTP(w, req)
	})
}

// TimedCorrect measures each request.
func (r *Router) TimedCorrect(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer r.metrics.timer(req.URL.Path)()
		next.ServeHTTP(w, req)
	})
}

// Traced opens a span for requests carrying an X-Trace header.
func (r *Router) Traced(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		var finish func()
		if r.tracer != nil && req.Header.Get("X-Trace") != "" {
			finish = r.tracer.start(req.URL.Path)
		}
		defer finish() // HAZ defer-nil-func
		next.ServeHTTP(w, req)
	})
}

// TracedSafe opens a span for requests carrying an X-Trace header.
func (r *Router) TracedSafe(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		finish := func() {}
		if r.tracer != nil && req.Header.Get("X-Trace") != "" {
			finish = r.tracer.start(req.URL.Path)
		}
		defer finish()
		next.ServeHTTP(w, req)
	})
}

// logRecovered logs a recovered panic and answers 500.
func (r *Router) logRecovered(w http.ResponseWriter, req *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		r.logger.Printf("router: panic serving %s: %v", req.URL.Path, v)
		httpError(w, http.StatusInternalServerError, "internal error")
	}
}

// Recoverer turns handler panics into 500 responses.
func (r *Router) Recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.inflight.Add(1)
		defer func() {
			r.logRecovered(w, req)
			r.inflight.Add(-1)
		}()
		next.ServeHTTP(w, req)
	})
}

// recoverAndReport logs a recovered panic and answers 500.
func (r *Router) recoverAndReport(w http.ResponseWriter, req *http.Request) {
	if v := recover(); v != nil {
		if v == http.ErrAbortHandler {
			panic(v)
		}
		r.logger.Printf("router: panic serving %s: %v", req.URL.Path, v)
		httpError(w, http.StatusInternalServerError, "internal error")
	}
}

// SafeRecoverer turns handler panics into 500 responses.
func (r *Router) SafeRecoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer r.recoverAndReport(w, req)
		next.ServeHTTP(w, req)
	})
}

// IgnoreAborts stops panics raised when the client disconnects mid-response.
func (r *Router) IgnoreAborts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if v := recover(); v != nil { // HAZ recover-swallows-panic
				// the client went away; nothing left to do
			}
		}()
		next.ServeHTTP(w, req)
	})
}

// FilterAborts stops only http.ErrAbortHandler panics and re-raises the rest.
func (r *Router) FilterAborts(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v != http.ErrAbortHandler {
					panic(v)
				}
				r.logger.Printf("router: client aborted %s", req.URL.Path)
			}
		}()
		next.ServeHTTP(w, req)
	})
}

// bufferedWriter buffers a response so a timed-out handler cannot write.
type bufferedWriter struct {
	header http.Header
	code   int
	buf    bytes.Buffer
}

func (b *bufferedWriter) Header() http.Header         { return b.header }
func (b *bufferedWriter) WriteHeader(code int)        { b.code = code }
func (b *bufferedWriter) Write(p []byte) (int, error) { return b.buf.Write(p) }

func (b *bufferedWriter) flushTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.code != 0 {
		w.WriteHeader(b.code)
	}
	_, _ = w.Write(b.buf.Bytes())
}

// WithTimeout answers 503 when next does not finish within d.
func (r *Router) WithTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer r.recoverAndReport(w, req)
		ctx, cancel := context.WithTimeout(req.Context(), d)
		defer cancel()
		done := make(chan struct{})
		tw := &bufferedWriter{header: make(http.Header)}
		go func() { // HAZ goroutine-outside-recover
			next.ServeHTTP(tw, req.WithContext(ctx))
			close(done)
		}()
		select {
		case <-done:
			tw.flushTo(w)
		case <-ctx.Done():
			httpError(w, http.StatusServiceUnavailable, "handler timed out after %s", d)
		}
	})
}

// WithTimeoutSafe answers 503 when next does not finish within d; a panic in
// next is caught in its goroutine and answered with 500.
func (r *Router) WithTimeoutSafe(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer r.recoverAndReport(w, req)
		ctx, cancel := context.WithTimeout(req.Context(), d)
		defer cancel()
		done := make(chan struct{})
		panicked := make(chan any, 1)
		tw := &bufferedWriter{header: make(http.Header)}
		go func() {
			defer close(done)
			defer func() {
				if v := recover(); v != nil {
					select {
					case panicked <- v:
					default:
					}
				}
			}()
			next.ServeHTTP(tw, req.WithContext(ctx))
		}()
		select {
		case <-done:
			select {
			case v := <-panicked:
				r.logger.Printf("router: panic serving %s: %v", req.URL.Path, v)
				httpError(w, http.StatusInternalServerError, "internal error")
				return
			default:
			}
			tw.flushTo(w)
		case <-ctx.Done():
			httpError(w, http.StatusServiceUnavailable, "handler timed out after %s", d)
		}
	})
}

func (r *Router) pingUpstream(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.upstream+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("router: upstream health: %s", resp.Status)
	}
	return nil
}

// HealthHandler reports whether the upstream answers within two seconds.
func (r *Router) HealthHandler(w http.ResponseWriter, req *http.Request) {
	result := make(chan error) // HAZ goroutine-blocked-send
	go func() {
		result <- r.pingUpstream(req.Context())
	}()
	select {
	case err := <-result:
		if err != nil {
			httpError(w, http.StatusBadGateway, "%v", err)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	case <-time.After(2 * time.Second):
		httpError(w, http.StatusGatewayTimeout, "upstream health check timed out")
	}
}

// ReadyHandler reports whether the upstream answers within two seconds.
func (r *Router) ReadyHandler(w http.ResponseWriter, req *http.Request) {
	result := make(chan error, 1)
	go func() {
		result <- r.pingUpstream(req.Context())
	}()
	select {
	case err := <-result:
		if err != nil {
			httpError(w, http.StatusBadGateway, "%v", err)
			return
		}
		_, _ = io.WriteString(w, "ok\n")
	case <-time.After(2 * time.Second):
		httpError(w, http.StatusGatewayTimeout, "upstream readiness check timed out")
	}
}

// UpstreamStatus proxies the upstream /status document.
func (r *Router) UpstreamStatus(w http.ResponseWriter, req *http.Request) {
	resp, _ := r.client.Get(r.upstream + "/status")
	w.Header().Set("X-Upstream", r.upstream)
	defer resp.Body.Close() // HAZ defer-before-error-check
	w.Header().Set("Content-Type", resp.Header.Get("Content-Type"))
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

// UpstreamVersion proxies the upstream /version document.
func (r *Router) UpstreamVersion(w http.ResponseWriter, req *http.Request) {
	ureq, err := http.NewRequestWithContext(req.Context(), http.MethodGet, r.upstream+"/version", nil)
	if err != nil {
		httpError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	resp, err := r.client.Do(ureq)
	if err != nil {
		httpError(w, http.StatusBadGateway, "%v", err)
		return
	}
	defer resp.Body.Close()
	w.WriteHeader(resp.StatusCode)
	_, _ = io.Copy(w, resp.Body)
}

func (r *Router) audit(req *http.Request, status int) {
	body := strings.NewReader(fmt.Sprintf(`{"method":%q,"path":%q,"status":%d}`, req.Method, req.URL.Path, status))
	resp, err := r.client.Post(r.auditURL, "application/json", body)
	if err != nil {
		r.logger.Printf("router: audit: %v", err)
		return
	}
	resp.Body.Close()
}

// Audited posts an audit record for every request.
func (r *Router) Audited(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() { r.audit(req, rec.status) }() // HAZ defer-blocking-call
		next.ServeHTTP(rec, req)
	})
}

// AuditedAsync posts the audit record off the request path.
func (r *Router) AuditedAsync(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := rec.status
			go r.audit(req, status)
		}()
		next.ServeHTTP(rec, req)
	})
}

// Mirrored serves the request locally and replays it against the upstream.
func (r *Router) Mirrored(w http.ResponseWriter, req *http.Request) {
	mreq, err := http.NewRequestWithContext(context.Background(), req.Method, r.upstream+req.URL.RequestURI(), nil)
	if err != nil {
		httpError(w, http.StatusInternalServerError, "%v", err)
		return
	}
	defer r.client.Do(mreq) // HAZ defer-blocking-call
	r.ServeHTTP(w, req)
}

// Probe checks the upstream health endpoint.
func (r *Router) Probe(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.upstream+"/healthz", nil)
	if err != nil {
		return err
	}
	resp, err := r.client.Do(req)
	if err != nil {
		return err
	}
	var probeErr error
	defer func() { // HAZ defer-ineffective-return
		if cerr := resp.Body.Close(); cerr != nil {
			probeErr = errors.Join(probeErr, cerr)
		}
	}()
	if resp.StatusCode != http.StatusOK {
		probeErr = fmt.Errorf("router: upstream: %s", resp.Status)
	}
	return probeErr
}

// probeInto checks the upstream health endpoint and stores the outcome in *errp.
func (r *Router) probeInto(ctx context.Context, errp *error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, r.upstream+"/healthz", nil)
	if err != nil {
		*errp = err
		return
	}
	resp, err := r.client.Do(req)
	if err != nil {
		*errp = err
		return
	}
	defer func() {
		if cerr := resp.Body.Close(); cerr != nil && *errp == nil {
			*errp = cerr
		}
	}()
	if resp.StatusCode != http.StatusOK {
		*errp = fmt.Errorf("router: upstream: %s", resp.Status)
	}
}

// ProbeAll checks the upstream health endpoint n times concurrently.
func (r *Router) ProbeAll(ctx context.Context, n int) error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r.probeInto(ctx, &errs[i])
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

type discardWriter struct{ h http.Header }

func (d *discardWriter) Header() http.Header         { return d.h }
func (d *discardWriter) WriteHeader(int)             {}
func (d *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// Replay serves recorded requests and logs the counters afterwards.
func (r *Router) Replay(reqs []*http.Request) {
	defer r.metrics.Snapshot().Report(r.logger) // HAZ defer-call-chain
	for _, req := range reqs {
		r.ServeHTTP(&discardWriter{h: make(http.Header)}, req)
	}
}

// ReplayReporting serves recorded requests and logs the counters afterwards.
func (r *Router) ReplayReporting(reqs []*http.Request) {
	defer func() { r.metrics.Snapshot().Report(r.logger) }()
	for _, req := range reqs {
		r.ServeHTTP(&discardWriter{h: make(http.Header)}, req)
	}
}

// Prewarm requests every path once, concurrently, to fill caches.
func (r *Router) Prewarm(paths []string) {
	var wg sync.WaitGroup
	var i int
	for i = 0; i < len(paths); i++ {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			req, err := http.NewRequest(http.MethodGet, paths[i], nil)
			if err != nil {
				return
			}
			r.ServeHTTP(&discardWriter{h: make(http.Header)}, req)
		}()
	}
	wg.Wait()
	r.logger.Printf("router: prewarmed %d paths", i)
}

// PrewarmEach requests every path once, concurrently, to fill caches.
func (r *Router) PrewarmEach(paths []string) {
	var wg sync.WaitGroup
	for _, p := range paths {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, err := http.NewRequest(http.MethodGet, p, nil)
			if err != nil {
				return
			}
			r.ServeHTTP(&discardWriter{h: make(http.Header)}, req)
		}()
	}
	wg.Wait()
}
