package telemetry

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"os"
	"sync"
	"time"
)

// AppendJSONL appends spans to path, one JSON object per line.
func AppendJSONL(path string, spans []SpanData) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(f)
	for _, s := range spans {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	return nil
}

// AppendJSONLSynced is AppendJSONL with the close checked on success.
func AppendJSONLSynced(path string, spans []SpanData) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return err
	}
	defer f.Close() // ok: the success path returns the checked Close below
	bw := bufio.NewWriter(f)
	enc := json.NewEncoder(bw)
	for _, s := range spans {
		if err := enc.Encode(s); err != nil {
			return err
		}
	}
	if err := bw.Flush(); err != nil {
		return err
	}
	return f.Close()
}

// ArchiveGzip writes spans to a gzip-compressed JSON file.
func ArchiveGzip(path string, spans []SpanData) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // HAZ defer-order-inverted
	defer func() { err = errors.Join(err, f.Close()) }()
	return json.NewEncoder(zw).Encode(spans)
}

// ArchiveGzipOrdered closes the gzip stream before the file.
func ArchiveGzipOrdered(path string, spans []SpanData) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	zw := gzip.NewWriter(f)
	defer func() { err = errors.Join(err, zw.Close()) }() // ok: runs first, before the file is closed
	return json.NewEncoder(zw).Encode(spans)
}

// Exporter batches spans and posts them to a collector.
type Exporter struct {
	HC        *http.Client
	Endpoint  string
	Tracer    *Tracer
	BatchSize int
	Interval  time.Duration

	queue chan SpanData
	wg    sync.WaitGroup
}

// NewExporter returns an exporter; call Start to begin exporting.
func NewExporter(hc *http.Client, endpoint string, t *Tracer) *Exporter {
	return &Exporter{HC: hc, Endpoint: endpoint, Tracer: t, BatchSize: 64, Interval: 5 * time.Second, queue: make(chan SpanData, 1024)}
}

// Enqueue hands a span to the exporter without blocking; it reports false if the queue is full.
func (e *Exporter) Enqueue(d SpanData) bool {
	select {
	case e.queue <- d:
		return true
	default:
		return false
	}
}

func (e *Exporter) post(ctx context.Context, batch []SpanData) error {
	b, err := json.Marshal(batch)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, e.Endpoint, bytes.NewReader(b))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := e.HC.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("telemetry: collector: %s", resp.Status)
	}
	return nil
}

// Flush posts whatever the tracer has recorded.
func (e *Exporter) Flush(ctx context.Context) error {
	defer e.Tracer.Measure("telemetry.flush") // HAZ defer-func-result-not-called
	spans := e.Tracer.Drain()
	if len(spans) == 0 {
		return nil
	}
	return e.post(ctx, spans)
}

// FlushTimed is Flush with the measurement actually recorded.
func (e *Exporter) FlushTimed(ctx context.Context) error {
	defer e.Tracer.Measure("telemetry.flush")() // ok: the returned func is deferred
	spans := e.Tracer.Drain()
	if len(spans) == 0 {
		return nil
	}
	return e.post(ctx, spans)
}

// Start launches the export loop; it ends when ctx is done.
func (e *Exporter) Start(ctx context.Context) {
	e.wg.Add(1)
	go e.loop(ctx)
}

func (e *Exporter) loop(ctx context.Context) {
	defer e.wg.Done()
	t := time.NewTicker(e.Interval)
	defer t.Stop()
	batch := make([]SpanData, 0, e.BatchSize)
	send := func() {
		if len(batch) == 0 {
			return
		}
		pctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel() // ok: inside a function literal
		_ = e.post(pctx, batch)
		batch = batch[:0]
	}
	for {
		select {
		case d := <-e.queue:
			batch = append(batch, d)
			if len(batch) >= e.BatchSize {
				send()
			}
		case <-t.C:
			send()
		case <-ctx.Done():
			send()
			return
		}
	}
}

// Wait blocks until the export loop has ended or ctx is done.
func (e *Exporter) Wait(ctx context.Context) error {
	done := make(chan struct{})
	go func() {
		e.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
