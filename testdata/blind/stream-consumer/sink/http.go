package sink

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"

	"example.com/consumer/pipeline"
	"example.com/consumer/retry"
	"example.com/consumer/schema"
)

// HTTPSink posts items to an ingestion endpoint.
type HTTPSink struct {
	url    string
	client *http.Client
	log    *log.Logger
}

// NewHTTPSink returns a sink posting to url.
func NewHTTPSink(url string, client *http.Client, logger *log.Logger) *HTTPSink {
	return &HTTPSink{url: url, client: client, log: logger}
}

// Name implements pipeline.Sink.
func (s *HTTPSink) Name() string { return "http:" + s.url }

// Deliver posts one item; 4xx answers are permanent failures.
func (s *HTTPSink) Deliver(ctx context.Context, it pipeline.Item) error {
	body, err := json.Marshal(it.Value)
	if err != nil {
		return retry.Permanent(err)
	}
	return s.post(ctx, body, "")
}

func (s *HTTPSink) post(ctx context.Context, body []byte, schemaID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return retry.Permanent(err)
	}
	req.Header.Set("Content-Type", "application/json")
	if schemaID != "" {
		req.Header.Set("X-Schema-Id", schemaID)
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4<<10))
	switch {
	case resp.StatusCode >= 500:
		return fmt.Errorf("%s: %s", s.url, resp.Status)
	case resp.StatusCode >= 400:
		return retry.Permanent(fmt.Errorf("%s: %s", s.url, resp.Status))
	}
	return nil
}

type schemaResult struct {
	s   *schema.Schema
	err error
}

// DeliverWithSchema looks the item's schema up while encoding the body and
// tags the request with the schema id.
func (s *HTTPSink) DeliverWithSchema(ctx context.Context, it pipeline.Item, reg *schema.Client) error {
	found := make(chan schemaResult)
	go func() {
		sc, err := reg.Lookup(ctx, it.Msg.Headers["schema-id"])
		found <- schemaResult{sc, err} // HAZ goroutine-blocked-send
	}()
	body, err := json.Marshal(it.Value)
	if err != nil {
		return retry.Permanent(err)
	}
	r := <-found
	if r.err != nil {
		return r.err
	}
	return s.post(ctx, body, r.s.ID)
}

// DeliverAudited delivers and writes the outcome to the audit log.
func (s *HTTPSink) DeliverAudited(ctx context.Context, it pipeline.Item) error {
	var err error
	defer s.audit(it, err) // HAZ defer-eager-evaluation
	err = s.Deliver(ctx, it)
	return err
}

func (s *HTTPSink) audit(it pipeline.Item, err error) {
	status := "ok"
	if err != nil {
		status = err.Error()
	}
	s.log.Printf("audit %s@%d -> %s: %s", it.Msg.TP(), it.Msg.Offset, s.url, status)
}
