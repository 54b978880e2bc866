// Package httpreceiver accepts spans and logs as JSON over HTTP. A panic in a
// handler is recovered by middleware and answered with a 500.
package httpreceiver

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"time"

	"example.com/fah30/component"
	"example.com/fah30/consumer"
	"example.com/fah30/internal/obsreport"
	"example.com/fah30/pdata"
)

// Config configures the receiver.
type Config struct {
	Endpoint        string
	MaxRequestBytes int64
	ConsumeTimeout  time.Duration
	// AckURL, if set, is told about every log batch that was accepted, for
	// senders that track delivery end to end.
	AckURL string
	// SpansPerSecond limits each tenant (X-Tenant header); 0 disables it.
	SpansPerSecond float64
	MaxTenants     int
}

// Receiver is the HTTP receiver.
type Receiver struct {
	cfg    Config
	traces consumer.Traces
	logs   consumer.Logs
	obs    *obsreport.Recorder
	logger *log.Logger
	client *http.Client
	limits *tenantLimiter

	srv       *http.Server
	serveDone chan error
	sweepStop chan struct{}
	sweepDone chan struct{}
}

// New returns a receiver; logs may be nil when the pipeline has no logs.
func New(cfg Config, traces consumer.Traces, logs consumer.Logs, obs *obsreport.Recorder, logger *log.Logger) *Receiver {
	if cfg.MaxRequestBytes <= 0 {
		cfg.MaxRequestBytes = 8 << 20
	}
	if cfg.ConsumeTimeout <= 0 {
		cfg.ConsumeTimeout = 5 * time.Second
	}
	r := &Receiver{cfg: cfg, traces: traces, logs: logs, obs: obs, logger: logger, client: &http.Client{}}
	if cfg.SpansPerSecond > 0 {
		r.limits = newTenantLimiter(cfg.SpansPerSecond, 2*cfg.SpansPerSecond, max(cfg.MaxTenants, 1))
	}
	return r
}

// Start listens and serves in the background.
func (r *Receiver) Start(_ context.Context, _ component.Host) error {
	ln, err := net.Listen("tcp", r.cfg.Endpoint)
	if err != nil {
		return err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("POST /v1/traces", r.handleTraces)
	if r.logs != nil {
		mux.HandleFunc("POST /v1/logs", r.handleLogs)
	}
	r.srv = &http.Server{Handler: r.recoverMiddleware(mux), ReadHeaderTimeout: 5 * time.Second}
	r.serveDone = make(chan error, 1)
	go func() {
		r.serveDone <- r.srv.Serve(ln)
	}()
	if r.limits != nil {
		r.sweepStop, r.sweepDone = make(chan struct{}), make(chan struct{})
		go r.sweepLoop()
	}
	return nil
}

// sweepLoop forgets idle tenants until Shutdown closes sweepStop.
func (r *Receiver) sweepLoop() {
	defer close(r.sweepDone)
	ticker := time.NewTicker(time.Minute)
	defer ticker.Stop()
	for {
		select {
		case <-r.sweepStop:
			return
		case <-ticker.C:
			if n := r.limits.sweep(10 * time.Minute); n > 0 {
				r.logger.Printf("httpreceiver: forgot %d idle tenants", n)
			}
		}
	}
}

// Shutdown stops the server gracefully within ctx and returns the serve error.
func (r *Receiver) Shutdown(ctx context.Context) error {
	if r.srv == nil {
		return nil
	}
	if r.sweepStop != nil {
		close(r.sweepStop)
		<-r.sweepDone
	}
	err := r.srv.Shutdown(ctx)
	select {
	case serr := <-r.serveDone:
		if !errors.Is(serr, http.ErrServerClosed) {
			err = errors.Join(err, serr)
		}
	case <-ctx.Done():
		err = errors.Join(err, ctx.Err())
	}
	return err
}

// recoverMiddleware turns a handler panic into a 500 and a counted error.
func (r *Receiver) recoverMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		defer func() {
			v := recover()
			if v == nil {
				return
			}
			if v == http.ErrAbortHandler {
				panic(v)
			}
			err := r.obs.PanicAsError(req.Method+" "+req.URL.Path, v)
			http.Error(w, err.Error(), http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, req)
	})
}

// readBody returns the request body, gunzipped when needed, limited to
// MaxRequestBytes.
func (r *Receiver) readBody(w http.ResponseWriter, req *http.Request) ([]byte, error) {
	defer req.Body.Close()
	var body io.Reader = http.MaxBytesReader(w, req.Body, r.cfg.MaxRequestBytes)
	if req.Header.Get("Content-Encoding") == "gzip" {
		zr, err := gzip.NewReader(body)
		if err != nil {
			return nil, fmt.Errorf("gzip: %w", err)
		}
		defer zr.Close()
		body = io.LimitReader(zr, r.cfg.MaxRequestBytes)
	}
	return io.ReadAll(body)
}

// writeConsumeError tells the client whether to retry.
func writeConsumeError(w http.ResponseWriter, err error) {
	if errors.Is(err, consumer.ErrDataRefused) || errors.Is(err, context.DeadlineExceeded) {
		w.Header().Set("Retry-After", "5")
		http.Error(w, err.Error(), http.StatusServiceUnavailable)
		return
	}
	http.Error(w, err.Error(), http.StatusInternalServerError)
}

// handleTraces decodes a batch and hands it to the pipeline. The consumer
// runs on its own goroutine so that a consumer ignoring ctx cannot hold the
// request past ConsumeTimeout; the result channel is buffered, so that
// goroutine can always deliver and exit.
func (r *Receiver) handleTraces(w http.ResponseWriter, req *http.Request) {
	defer r.obs.StartOp("http.traces")()
	raw, err := r.readBody(w, req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	var b pdata.Batch
	if err := json.Unmarshal(raw, &b); err != nil {
		r.obs.Refused(1)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	if r.limits != nil && !r.limits.Allow(req.Header.Get("X-Tenant"), b.Len()) {
		r.obs.Refused(b.Len())
		http.Error(w, "tenant rate limit exceeded", http.StatusTooManyRequests)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), r.cfg.ConsumeTimeout)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		done <- r.traces.ConsumeTraces(ctx, b)
	}()
	select {
	case err := <-done:
		if err != nil {
			writeConsumeError(w, err)
			return
		}
	case <-ctx.Done():
		writeConsumeError(w, ctx.Err())
		return
	}
	r.obs.Accepted(b.Len())
	w.WriteHeader(http.StatusAccepted)
}

// handleLogs decodes log records, hands them to the pipeline and, when an
// AckURL is configured, acknowledges the batch upstream.
func (r *Receiver) handleLogs(w http.ResponseWriter, req *http.Request) {
	batchID := req.Header.Get("X-Batch-Id")
	if batchID != "" && r.cfg.AckURL != "" {
		defer r.ackUpstream(batchID) // HAZ defer-blocking-call
	}
	raw, err := r.readBody(w, req)
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	var logs []pdata.LogRecord
	if err := json.Unmarshal(raw, &logs); err != nil {
		r.obs.Refused(1)
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	ctx, cancel := context.WithTimeout(req.Context(), r.cfg.ConsumeTimeout)
	defer cancel()
	if err := r.logs.ConsumeLogs(ctx, logs); err != nil {
		writeConsumeError(w, err)
		return
	}
	r.obs.Accepted(len(logs))
	w.WriteHeader(http.StatusAccepted)
}

// ackUpstream posts the batch ID to AckURL.
func (r *Receiver) ackUpstream(batchID string) {
	body, _ := json.Marshal(map[string]string{"batch_id": batchID})
	resp, err := r.client.Post(r.cfg.AckURL, "application/json", bytes.NewReader(body))
	if err != nil {
		r.logger.Printf("httpreceiver: ack %s: %v", batchID, err)
		return
	}
	resp.Body.Close()
	if resp.StatusCode >= 300 {
		r.logger.Printf("httpreceiver: ack %s: %s", batchID, resp.Status)
	}
}
