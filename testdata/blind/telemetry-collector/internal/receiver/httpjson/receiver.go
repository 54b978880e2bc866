// Package httpjson receives JSON batches pushed over HTTP on
// /v1/metrics, /v1/logs and /v1/traces.
package httpjson

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"example.com/otelcol/internal/component"
	"example.com/otelcol/internal/pdata"
)

// Config configures the receiver.
type Config struct {
	Endpoint string
	MaxBody  int64
	Timeout  time.Duration
}

type requestStat struct {
	path     string
	status   int
	records  int
	duration time.Duration
}

// Receiver is the HTTP push receiver.
type Receiver struct {
	cfg    Config
	next   component.Consumer
	logger *log.Logger

	srv     *http.Server
	stats   chan requestStat
	quit    chan struct{}
	wg      sync.WaitGroup
	dropped atomic.Int64

	mu     sync.Mutex
	totals map[string]int64
}

// New returns a receiver feeding next.
func New(cfg Config, next component.Consumer, logger *log.Logger) *Receiver {
	if cfg.MaxBody <= 0 {
		cfg.MaxBody = 4 << 20
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 5 * time.Second
	}
	return &Receiver{
		cfg:    cfg,
		next:   next,
		logger: logger,
		stats:  make(chan requestStat, 256),
		quit:   make(chan struct{}),
		totals: make(map[string]int64),
	}
}

// Start listens and serves in the background.
func (r *Receiver) Start(_ context.Context, host component.Host) error {
	ln, err := net.Listen("tcp", r.cfg.Endpoint)
	if err != nil {
		return fmt.Errorf("httpjson: listen: %w", err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/v1/metrics", r.handleMetrics)
	mux.HandleFunc("/v1/logs", r.handleLogs)
	mux.HandleFunc("/v1/traces", r.handleTraces)
	r.srv = &http.Server{Handler: mux, ReadHeaderTimeout: 5 * time.Second}

	r.wg.Add(2)
	go func() {
		defer r.wg.Done()
		if err := r.srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			host.ReportFatalError(fmt.Errorf("httpjson: serve: %w", err))
		}
	}()
	go func() {
		defer r.wg.Done()
		r.statsLoop()
	}()
	return nil
}

// Shutdown stops accepting requests and waits for in-flight ones.
func (r *Receiver) Shutdown(ctx context.Context) error {
	if r.srv == nil {
		return nil
	}
	err := r.srv.Shutdown(ctx)
	close(r.quit)
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return err
	case <-ctx.Done():
		return errors.Join(err, ctx.Err())
	}
}

func (r *Receiver) statsLoop() {
	for {
		select {
		case s := <-r.stats:
			r.mu.Lock()
			r.totals[s.path] += int64(s.records)
			r.mu.Unlock()
		case <-r.quit:
			return
		}
	}
}

// Totals returns accepted records per path.
func (r *Receiver) Totals() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make(map[string]int64, len(r.totals))
	for k, v := range r.totals {
		out[k] = v
	}
	return out
}

// record hands a stat to the stats loop without ever blocking a request.
func (r *Receiver) record(s requestStat) {
	select {
	case r.stats <- s:
	default:
		r.dropped.Add(1)
	}
}

func (r *Receiver) decode(req *http.Request) (pdata.Batch, error) {
	defer req.Body.Close()
	if req.Method != http.MethodPost {
		return pdata.Batch{}, errMethod
	}
	b, err := pdata.DecodeJSON(req.Body, r.cfg.MaxBody)
	if err != nil {
		return pdata.Batch{}, err
	}
	b.Source = req.RemoteAddr
	return b, nil
}

var errMethod = errors.New("method not allowed")

func writeError(w http.ResponseWriter, code int, err error) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": err.Error()})
}

// handleMetrics consumes synchronously but answers 503 when the pipeline is
// too slow, so that clients retry elsewhere.
func (r *Receiver) handleMetrics(w http.ResponseWriter, req *http.Request) {
	b, err := r.decode(req)
	if err != nil {
		writeError(w, http.StatusBadRequest, err)
		return
	}
	done := make(chan error)
	go func() {
		done <- r.next.Consume(context.Background(), b) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-done:
		if err != nil {
			writeError(w, http.StatusInternalServerError, err)
			return
		}
		w.WriteHeader(http.StatusAccepted)
	case <-time.After(r.cfg.Timeout):
		writeError(w, http.StatusServiceUnavailable, errors.New("pipeline busy"))
	}
}

// handleLogs is handleMetrics with the result channel sized for its one
// sender and the stat recorded without blocking.
func (r *Receiver) handleLogs(w http.ResponseWriter, req *http.Request) {
	start := time.Now()
	status := http.StatusAccepted
	var n int
	defer func() {
		r.record(requestStat{path: "/v1/logs", status: status, records: n, duration: time.Since(start)})
	}()
	b, err := r.decode(req)
	if err != nil {
		status = http.StatusBadRequest
		writeError(w, status, err)
		return
	}
	n = b.Len()
	ctx, cancel := context.WithTimeout(req.Context(), r.cfg.Timeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- r.next.Consume(ctx, b)
	}()
	select {
	case err := <-done:
		if err != nil {
			status = http.StatusInternalServerError
			writeError(w, status, err)
			return
		}
		w.WriteHeader(status)
	case <-ctx.Done():
		status = http.StatusServiceUnavailable
		writeError(w, status, ctx.Err())
	}
}

// handleTraces records per-request statistics on the way out.
func (r *Receiver) handleTraces(w http.ResponseWriter, req *http.Request) {
	start := time.Now()
	status := http.StatusAccepted
	var n int
	defer func() { // HAZ defer-blocking-call
		r.stats <- requestStat{path: "/v1/traces", status: status, records: n, duration: time.Since(start)}
	}()
	b, err := r.decode(req)
	if err != nil {
		status = http.StatusBadRequest
		writeError(w, status, err)
		return
	}
	n = b.Len()
	if err := r.next.Consume(req.Context(), b); err != nil {
		status = http.StatusInternalServerError
		writeError(w, status, err)
		return
	}
	w.WriteHeader(status)
}

// ResetTotals clears the per-path totals and returns the previous ones.
func (r *Receiver) ResetTotals() map[string]int64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	prev := r.Totals() // HAZ lock-reentry-under-defer
	clear(r.totals)
	return prev
}
