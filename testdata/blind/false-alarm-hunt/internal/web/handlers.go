// Package web holds HTTP handlers, middleware and client helpers.
package web

import (
	"compress/gzip"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"sync/atomic"
	"time"

	"example.com/blindg/internal/safe"
)

// Quote is a price quote.
type Quote struct {
	Symbol string  `json:"symbol"`
	Price  float64 `json:"price"`
}

// Pricer produces quotes; it may be slow.
type Pricer interface {
	Quote(ctx context.Context, symbol string) (Quote, error)
}

// Pinger checks a dependency without taking a context.
type Pinger interface {
	Ping() error
}

type shardResult struct {
	hits []string
	err  error
}

// API bundles handler dependencies.
type API struct {
	Logger      *log.Logger
	Client      *http.Client
	Backend     string
	Shards      []string
	Pricer      Pricer
	Pinger      Pinger
	MaxInflight int64
	OnEvent     func(map[string]any)

	inflight atomic.Int64
}

func (a *API) writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if err := json.NewEncoder(w).Encode(v); err != nil {
		a.Logger.Printf("encode response: %v", err)
	}
}

// HandleProxy forwards to the backend with a bounded context; the response
// body is closed only after the request error has been checked.
func (a *API) HandleProxy(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 5*time.Second)
	defer cancel()

	req, err := http.NewRequestWithContext(ctx, r.Method, a.Backend+r.URL.Path, r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	req.Header = r.Header.Clone()
	resp, err := a.Client.Do(req)
	if err != nil {
		http.Error(w, "upstream unavailable", http.StatusBadGateway)
		return
	}
	defer resp.Body.Close() // ok: plain Close, after the error check

	for k, vs := range resp.Header {
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	w.WriteHeader(resp.StatusCode)
	if _, err := io.Copy(w, resp.Body); err != nil {
		a.Logger.Printf("proxy copy: %v", err)
	}
}

func (a *API) queryShard(ctx context.Context, shard, q string) shardResult {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, shard+"/search?q="+q, nil)
	if err != nil {
		return shardResult{err: err}
	}
	resp, err := a.Client.Do(req)
	if err != nil {
		return shardResult{err: err}
	}
	defer resp.Body.Close()
	var hits []string
	err = json.NewDecoder(resp.Body).Decode(&hits)
	return shardResult{hits: hits, err: err}
}

// HandleSearch fans out to every shard. The result channel is buffered to
// the number of senders, so returning early on timeout strands nobody.
func (a *API) HandleSearch(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 800*time.Millisecond)
	defer cancel()
	q := r.URL.Query().Get("q")

	results := make(chan shardResult, len(a.Shards))
	for _, shard := range a.Shards {
		go func() { results <- a.queryShard(ctx, shard, q) }()
	}

	var hits []string
	for range a.Shards {
		select {
		case res := <-results:
			if res.err == nil {
				hits = append(hits, res.hits...)
			}
		case <-ctx.Done():
			http.Error(w, "search timed out", http.StatusGatewayTimeout)
			return
		}
	}
	a.writeJSON(w, http.StatusOK, hits)
}

// HandleQuoteStrict uses an unbuffered channel, but the sender also selects
// on ctx.Done and the deferred cancel fires on every return path.
func (a *API) HandleQuoteStrict(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	sym := r.URL.Query().Get("sym")

	type result struct {
		q   Quote
		err error
	}
	done := make(chan result)
	go func() {
		q, err := a.Pricer.Quote(ctx, sym)
		select {
		case done <- result{q, err}:
		case <-ctx.Done():
		}
	}()

	select {
	case res := <-done:
		if res.err != nil {
			http.Error(w, res.err.Error(), http.StatusBadGateway)
			return
		}
		a.writeJSON(w, http.StatusOK, res.q)
	case <-ctx.Done():
		http.Error(w, "quote timed out", http.StatusGatewayTimeout)
	}
}

// HandleReady pings with a one-slot result channel: the ping goroutine can
// always deliver and exit, even after the handler gave up.
func (a *API) HandleReady(w http.ResponseWriter, r *http.Request) {
	errc := make(chan error, 1)
	go func() { errc <- a.Pinger.Ping() }()

	select {
	case err := <-errc:
		if err != nil {
			http.Error(w, "not ready: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	case <-time.After(time.Second):
		http.Error(w, "ping timed out", http.StatusServiceUnavailable)
	}
}

// HandleUpload hashes an uploaded file; the form file is closed after the
// error check.
func (a *API) HandleUpload(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 32<<20)
	file, hdr, err := r.FormFile("file")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer file.Close()

	h := sha256.New()
	n, err := io.Copy(h, file)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	a.writeJSON(w, http.StatusCreated, map[string]any{
		"name":   hdr.Filename,
		"size":   n,
		"sha256": hex.EncodeToString(h.Sum(nil)),
	})
}

// HandleLimited tracks in-flight requests with an atomic counter; the
// deferred decrement is not a blocking call.
func (a *API) HandleLimited(w http.ResponseWriter, r *http.Request) {
	if a.inflight.Add(1) > a.MaxInflight {
		a.inflight.Add(-1)
		http.Error(w, "too many requests", http.StatusTooManyRequests)
		return
	}
	defer a.inflight.Add(-1)
	a.HandleSearch(w, r)
}

// HandleWebhook acknowledges quickly and processes the event in the
// background. The handler recovers its own panics; the background work is
// started through safe.Go, whose goroutine carries its own recover.
func (a *API) HandleWebhook(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if rec := recover(); rec != nil {
			a.Logger.Printf("webhook: panic: %v", rec)
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}
	}()
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	var ev map[string]any
	if err := json.Unmarshal(body, &ev); err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if a.OnEvent != nil {
		onEvent := a.OnEvent
		safe.Go("webhook "+r.Header.Get("X-Event-Type"), func() { onEvent(ev) })
	}
	w.WriteHeader(http.StatusAccepted)
}

// Recoverer converts handler panics into 500s, re-panicking
// http.ErrAbortHandler so net/http can abort the connection as designed.
func Recoverer(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

func (s *statusRecorder) Write(b []byte) (int, error) {
	n, err := s.ResponseWriter.Write(b)
	s.bytes += n
	return n, err
}

// AccessLog measures inside the deferred closure, so time.Since is evaluated
// at exit.
func AccessLog(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			logger.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, rec.status, rec.bytes, time.Since(start))
		}()
		next.ServeHTTP(rec, r)
	})
}

type gzipResponseWriter struct {
	http.ResponseWriter
	zw *gzip.Writer
}

func (g gzipResponseWriter) Write(b []byte) (int, error) { return g.zw.Write(b) }

// Gzip compresses responses; the gzip Close error is logged, not dropped.
func Gzip(logger *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.Contains(r.Header.Get("Accept-Encoding"), "gzip") {
			next.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Del("Content-Length")
		zw := gzip.NewWriter(w)
		defer func() {
			if err := zw.Close(); err != nil {
				logger.Printf("gzip close: %v", err)
			}
		}()
		next.ServeHTTP(gzipResponseWriter{ResponseWriter: w, zw: zw}, r)
	})
}

// FetchJSON decodes a JSON response, draining a bounded amount of an error
// body so the connection can be reused.
func FetchJSON(ctx context.Context, c *http.Client, url string, v any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()

	if resp.StatusCode != http.StatusOK {
		_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
		return fmt.Errorf("GET %s: %s", url, resp.Status)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

// PollStatus retries; each attempt's response is closed inside its own
// function literal.
func PollStatus(ctx context.Context, c *http.Client, url string, attempts int) (int, error) {
	var lastErr error
	for attempt := 0; attempt < attempts; attempt++ {
		status, err := func() (int, error) {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
			if err != nil {
				return 0, err
			}
			resp, err := c.Do(req)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			_, err = io.Copy(io.Discard, resp.Body)
			return resp.StatusCode, err
		}()
		if err == nil && status < 500 {
			return status, nil
		}
		lastErr = err
		if lastErr == nil {
			lastErr = fmt.Errorf("GET %s: status %d", url, status)
		}
		select {
		case <-ctx.Done():
			return 0, ctx.Err()
		case <-time.After(time.Duration(attempt+1) * 200 * time.Millisecond):
		}
	}
	return 0, lastErr
}

// Serve runs srv until ctx is cancelled, then shuts down with a bounded
// timeout. errc has room for ListenAndServe's single result.
func Serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.ListenAndServe() }()

	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}

	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// RunAdmin serves on ln; the deferred shutdown is bounded by a timeout
// created inside the deferred closure.
func RunAdmin(ctx context.Context, ln net.Listener, h http.Handler) error {
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 5 * time.Second}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = srv.Shutdown(sctx)
	}()

	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case <-ctx.Done():
		return nil
	case err := <-errc:
		return err
	}
}

// HandleQuote returns the current price for ?sym=.
func (a *API) HandleQuote(w http.ResponseWriter, r *http.Request) {
	sym := r.URL.Query().Get("sym")
	ch := make(chan Quote) // HAZ goroutine-blocked-send
	go func() {
		q, err := a.Pricer.Quote(context.Background(), sym)
		if err != nil {
			q = Quote{Symbol: sym}
		}
		ch <- q
	}()

	select {
	case q := <-ch:
		a.writeJSON(w, http.StatusOK, q)
	case <-time.After(500 * time.Millisecond):
		http.Error(w, "quote timed out", http.StatusGatewayTimeout)
	}
}
