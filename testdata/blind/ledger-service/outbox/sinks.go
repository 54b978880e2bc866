package outbox

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"sync"
)

// WebhookSink posts each message as JSON to a URL.
type WebhookSink struct {
	Client *http.Client
	URL    string
}

// Publish implements Sink.
func (s *WebhookSink) Publish(ctx context.Context, m Message) error {
	body, err := json.Marshal(m)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Idempotency-Key", fmt.Sprintf("outbox-%d", m.ID))
	resp, err := s.Client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close() // ok: after the error check
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode >= 300 {
		return fmt.Errorf("webhook %s: %s", s.URL, resp.Status)
	}
	return nil
}

// WriterSink writes one JSON line per message; used in development.
type WriterSink struct {
	mu sync.Mutex
	w  io.Writer
}

// NewWriterSink returns a sink writing to w.
func NewWriterSink(w io.Writer) *WriterSink { return &WriterSink{w: w} }

// Publish implements Sink.
func (s *WriterSink) Publish(_ context.Context, m Message) error {
	line, err := json.Marshal(m)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, err = s.w.Write(append(line, '\n'))
	return err
}

// FileSink appends messages to a file that stays open for the sink's life.
type FileSink struct {
	mu sync.Mutex
	f  *os.File
}

// OpenFileSink opens path for appending.
func OpenFileSink(path string) (*FileSink, error) {
	f, err := os.OpenFile(path, os.O_APPEND|os.O_CREATE|os.O_WRONLY, 0o600)
	if err != nil {
		return nil, err
	}
	return &FileSink{f: f}, nil
}

// Publish implements Sink.
func (s *FileSink) Publish(_ context.Context, m Message) error {
	line, err := json.Marshal(m)
	if err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return errors.New("outbox: file sink closed")
	}
	_, err = s.f.Write(append(line, '\n'))
	return err
}

// Close syncs and closes the file, reporting both errors.
func (s *FileSink) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.f == nil {
		return nil
	}
	err := errors.Join(s.f.Sync(), s.f.Close())
	s.f = nil
	return err
}

// Lag reports how many messages are waiting, on a dedicated connection.
func (p *Publisher) Lag(ctx context.Context) (int64, error) {
	conn, err := p.db.Conn(ctx)
	defer conn.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	var n int64
	err = conn.QueryRowContext(ctx, sqlCountPending).Scan(&n)
	return n, err
}

// Pending is Lag on the pool.
func (p *Publisher) Pending(ctx context.Context) (int64, error) {
	var n int64
	if err := p.db.QueryRowContext(ctx, sqlCountPending).Scan(&n); err != nil {
		return 0, err
	}
	return n, nil
}

// PendingOnConn runs the count on a pinned connection.
func (p *Publisher) PendingOnConn(ctx context.Context) (int64, error) {
	conn, err := p.db.Conn(ctx)
	if err != nil {
		return 0, err
	}
	defer conn.Close() // ok: after the error check
	var n int64
	err = conn.QueryRowContext(ctx, sqlCountPending).Scan(&n)
	return n, err
}
