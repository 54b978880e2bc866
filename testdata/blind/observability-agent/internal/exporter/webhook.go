package exporter

import (
	"bytes"
	"compress/gzip"
	"context"
	"encoding/json"
	"fmt"
	"net/http"

	"example.com/obsagent/internal/pdata"
)

// WebhookExporter posts log records as gzip-compressed JSON lines to a
// chat/incident webhook. It is intentionally simple: no retries.
type WebhookExporter struct {
	URL    string
	Client *http.Client
}

// Name implements lifecycle.Component.
func (w *WebhookExporter) Name() string { return "exporter/webhook" }

// encodeLines returns the records of b as gzip-compressed JSON lines.
func encodeLines(b pdata.Batch) ([]byte, error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer zw.Close() // HAZ defer-close-unchecked-write
	enc := json.NewEncoder(zw)
	for _, r := range b.Records {
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}
	return buf.Bytes(), nil
}

// encodeLinesNamed is encodeLines with the close error joined into the
// named result; the bytes are taken after the close.
func encodeLinesNamed(b pdata.Batch) (out []byte, err error) {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	defer func() {
		if cerr := zw.Close(); cerr != nil && err == nil {
			err = cerr // ok: err is the named result
		}
		if err == nil {
			out = buf.Bytes()
		}
	}()
	enc := json.NewEncoder(zw)
	for _, r := range b.Records {
		if err := enc.Encode(r); err != nil {
			return nil, err
		}
	}
	return nil, nil
}

// Export implements Exporter.
func (w *WebhookExporter) Export(ctx context.Context, b pdata.Batch) error {
	enc := encodeLinesNamed
	if len(b.Records) == 1 {
		enc = encodeLines
	}
	body, err := enc(b)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Encoding", "gzip")
	req.Header.Set("Content-Type", "application/x-ndjson")
	client := w.Client
	if client == nil {
		client = http.DefaultClient
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("exporter/webhook: status %s", resp.Status)
	}
	return nil
}
