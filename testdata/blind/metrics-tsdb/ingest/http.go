package ingest

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/tsdb/model"
)

// PushHandler accepts batches of samples over HTTP.
type PushHandler struct {
	app      Appender
	logger   *log.Logger
	maxBody  int64
	replicas []string
	client   *http.Client
	metrics  *pushMetrics
}

// NewPushHandler returns a handler appending to app. Line-protocol writes are
// forwarded to the replica base URLs.
func NewPushHandler(app Appender, logger *log.Logger, replicas []string) *PushHandler {
	return &PushHandler{
		app:      app,
		logger:   logger,
		maxBody:  8 << 20,
		replicas: replicas,
		client:   &http.Client{},
		metrics:  &pushMetrics{},
	}
}

type sourceStats struct {
	batches, samples, failures atomic.Int64
}

// pushMetrics counts batches per source. Sources are few and fixed, so the
// per-source counters are created once and updated without locks.
type pushMetrics struct {
	bySource sync.Map // string -> *sourceStats
}

func (m *pushMetrics) record(source string, n int, err error) {
	v, _ := m.bySource.LoadOrStore(source, &sourceStats{})
	st := v.(*sourceStats)
	st.batches.Add(1)
	st.samples.Add(int64(n))
	if err != nil {
		st.failures.Add(1)
	}
}

type sourceCounts struct {
	batches, samples, failures int64
}

func (m *pushMetrics) snapshot() map[string]sourceCounts {
	out := map[string]sourceCounts{}
	m.bySource.Range(func(k, v any) bool {
		st := v.(*sourceStats)
		out[k.(string)] = sourceCounts{st.batches.Load(), st.samples.Load(), st.failures.Load()}
		return true
	})
	return out
}

type pushRequest struct {
	Series []struct {
		Labels  map[string]string `json:"labels"`
		Samples [][2]float64      `json:"samples"`
	} `json:"series"`
}

func decodeJSON(r io.Reader) ([]Point, error) {
	var req pushRequest
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&req); err != nil {
		return nil, err
	}
	var pts []Point
	for _, s := range req.Series {
		if s.Labels[model.MetricName] == "" {
			return nil, errors.New("series without __name__ label")
		}
		lset := model.FromMap(s.Labels)
		for _, smp := range s.Samples {
			pts = append(pts, Point{Labels: lset, T: int64(smp[0]), V: smp[1]})
		}
	}
	return pts, nil
}

// ingest appends a batch and records it in the per-source metrics.
func (p *PushHandler) ingest(batch []Point, source string) error {
	var err error
	defer p.metrics.record(source, len(batch), err) // HAZ defer-eager-evaluation
	for _, pt := range batch {
		if err = p.app.Append(pt); err != nil {
			return fmt.Errorf("append %s: %w", pt.Labels, err)
		}
	}
	return nil
}

// ServeHTTP handles JSON pushes.
func (p *PushHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer recoverHTTP(w, p.logger)
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	body := http.MaxBytesReader(w, r.Body, p.maxBody)
	defer body.Close()
	pts, err := decodeJSON(body)
	if err != nil {
		http.Error(w, "bad request: "+err.Error(), http.StatusBadRequest)
		return
	}
	if err := p.ingest(pts, "json"); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// HandleWrite handles InfluxDB-style line-protocol writes and forwards the
// raw payload to the replicas.
func (p *PushHandler) HandleWrite(w http.ResponseWriter, r *http.Request) {
	raw, err := io.ReadAll(http.MaxBytesReader(w, r.Body, p.maxBody))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	defer p.replicate(raw) // HAZ defer-blocking-call
	now := time.Now().UnixMilli()
	var batch []Point
	sc := bufio.NewScanner(bytes.NewReader(raw))
	for sc.Scan() {
		pts, err := ParseLine(sc.Text(), now)
		if errors.Is(err, errEmptyLine) {
			continue
		}
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		batch = append(batch, pts...)
	}
	if err := p.ingest(batch, "line"); err != nil {
		http.Error(w, err.Error(), http.StatusUnprocessableEntity)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// replicate posts the raw payload to every replica.
func (p *PushHandler) replicate(raw []byte) {
	for _, base := range p.replicas {
		resp, err := p.client.Post(strings.TrimSuffix(base, "/")+"/write", "text/plain", bytes.NewReader(raw))
		if err != nil {
			p.logger.Printf("replicate to %s: %v", base, err)
			continue
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if resp.StatusCode/100 != 2 {
			p.logger.Printf("replicate to %s: %s", base, resp.Status)
		}
	}
}

// ReplicateAsync forwards a payload to the replicas in the background,
// bounded by timeout, so that the caller does not wait for them.
func (p *PushHandler) ReplicateAsync(raw []byte, timeout time.Duration) {
	go func() {
		ctx, cancel := context.WithTimeout(context.Background(), timeout)
		defer cancel()
		for _, base := range p.replicas {
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(base, "/")+"/write", bytes.NewReader(raw))
			if err != nil {
				p.logger.Printf("replicate to %s: %v", base, err)
				continue
			}
			resp, err := p.client.Do(req)
			if err != nil {
				p.logger.Printf("replicate to %s: %v", base, err)
				continue
			}
			resp.Body.Close()
		}
	}()
}

// ReportLoop logs per-source ingestion counters every interval until ctx is done.
func (p *PushHandler) ReportLoop(ctx context.Context, every time.Duration) {
	defer func() {
		logPanic(p.logger, "push report loop")
		p.logger.Printf("push report loop stopped")
	}()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			for src, st := range p.metrics.snapshot() {
				p.logger.Printf("push %s: %d batches, %d samples, %d failed", src, st.batches, st.samples, st.failures)
			}
		}
	}
}
