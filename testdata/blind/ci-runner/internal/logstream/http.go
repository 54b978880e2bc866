package logstream

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

const maxBuffered = 4 << 20

// HTTPSink buffers log output and POSTs it to the coordinator's live-log
// endpoint every few seconds. If the endpoint falls behind, output beyond
// maxBuffered is dropped (the local file still has it).
type HTTPSink struct {
	url    string
	client *http.Client

	mu      sync.Mutex
	buf     bytes.Buffer
	dropped int
	closed  bool

	done chan struct{}
	wg   sync.WaitGroup
}

// NewHTTPSink starts a sink that flushes to url every interval.
func NewHTTPSink(url string, every time.Duration) *HTTPSink {
	s := &HTTPSink{
		url:    url,
		client: &http.Client{Timeout: 15 * time.Second},
		done:   make(chan struct{}),
	}
	s.wg.Add(1)
	go s.loop(every)
	return s
}

func (s *HTTPSink) loop(every time.Duration) {
	defer s.wg.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.done:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), every)
			if err := s.Flush(ctx); err != nil {
				log.Printf("logstream: flush to %s: %v", s.url, err)
			}
			cancel()
		}
	}
}

// Write buffers p for the next flush.
func (s *HTTPSink) Write(p []byte) (int, error) {
	s.mu.Lock() // HAZ lock-leaked-on-return
	if s.closed {
		return 0, ErrClosed
	}
	if s.buf.Len()+len(p) > maxBuffered {
		s.dropped += len(p)
		s.mu.Unlock()
		return len(p), nil
	}
	n, _ := s.buf.Write(p)
	s.mu.Unlock()
	return n, nil
}

// Flush sends everything buffered so far.
func (s *HTTPSink) Flush(ctx context.Context) error {
	s.mu.Lock()
	if s.buf.Len() == 0 && s.dropped == 0 {
		s.mu.Unlock()
		return nil
	}
	body := bytes.Clone(s.buf.Bytes())
	s.buf.Reset()
	dropped := s.dropped
	s.dropped = 0
	s.mu.Unlock()

	if dropped > 0 {
		body = append(body, fmt.Sprintf("[runner] %d bytes of log output dropped\n", dropped)...)
	}
	return s.post(ctx, body)
}

func (s *HTTPSink) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "text/plain; charset=utf-8")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 4096))
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("log endpoint: %s", resp.Status)
	}
	return nil
}

// Close stops the background flusher and sends what is left, giving up
// after ten seconds.
func (s *HTTPSink) Close() error {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil
	}
	s.closed = true
	s.mu.Unlock()

	close(s.done)
	s.wg.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return s.Flush(ctx)
}
