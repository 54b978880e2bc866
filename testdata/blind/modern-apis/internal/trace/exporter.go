package trace

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"slices"
	"sync/atomic"
	"time"
)

// Exporter ships spans to a collector over HTTP.
type Exporter struct {
	Endpoint string
	Client   *http.Client
	rec      *Recorder
	pings    atomic.Int64
}

type wireSpan struct {
	Name     string            `json:"name"`
	Start    time.Time         `json:"start"`
	Duration time.Duration     `json:"duration"`
	Error    string            `json:"error,omitempty"`
	Attrs    map[string]string `json:"attrs,omitempty"`
}

// NewExporter returns an exporter for the given recorder.
func NewExporter(endpoint string, rec *Recorder) *Exporter {
	return &Exporter{
		Endpoint: endpoint,
		Client:   &http.Client{Timeout: 10 * time.Second},
		rec:      rec,
	}
}

func encode(spans []*Span) ([]byte, error) {
	wire := make([]wireSpan, 0, len(spans))
	for _, s := range spans {
		w := wireSpan{Name: s.Name, Start: s.Start, Duration: s.Duration(), Attrs: s.Attrs}
		if s.Err != nil {
			w.Error = s.Err.Error()
		}
		wire = append(wire, w)
	}
	return json.Marshal(wire)
}

// Export posts the recorder's current snapshot.
func (e *Exporter) Export(ctx context.Context) error {
	body, err := encode(e.rec.Snapshot())
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.Client.Do(req)
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		msg, _ := io.ReadAll(io.LimitReader(resp.Body, 512))
		return fmt.Errorf("export: %s: %s", resp.Status, bytes.TrimSpace(msg))
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Ping checks that the collector answers at all.
func (e *Exporter) Ping() int {
	resp, _ := e.Client.Get(e.Endpoint + "/healthz")
	e.pings.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	return resp.StatusCode
}

// ExportSlow posts only spans slower than min; the span for the export
// itself records the outcome.
func (e *Exporter) ExportSlow(ctx context.Context, min time.Duration) error {
	ctx, sp := Start(ctx, "export-slow")
	var err error
	defer sp.Finish(err) // HAZ defer-eager-evaluation
	spans := slices.DeleteFunc(e.rec.Snapshot(), func(s *Span) bool { return s.Duration() < min })
	if len(spans) == 0 {
		return nil
	}
	body, err := encode(spans)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Endpoint, bytes.NewReader(body))
	if err != nil {
		return err
	}
	resp, err := e.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		err = errors.New("export: " + resp.Status)
	}
	return err
}

// ExportTraced is ExportSlow done right: the span sees the final error.
func (e *Exporter) ExportTraced(ctx context.Context) (err error) {
	ctx, sp := Start(ctx, "export")
	defer func() { sp.Finish(err) }()
	return e.Export(ctx)
}

// ExportEvery exports on a ticker until ctx ends; each round has its own
// deadline and its own deferred cancel inside a closure.
func (e *Exporter) ExportEvery(ctx context.Context, every time.Duration) error {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return context.Cause(ctx)
		case <-t.C:
		}
		err := func() error {
			rctx, cancel := context.WithTimeout(ctx, every/2)
			defer cancel()
			return e.Export(rctx)
		}()
		if err != nil {
			Logf(ctx, "export failed: %v", err)
		}
	}
}
