// Package ship delivers spooled chunks to the HTTP collector with retries
// and exponential backoff.
package ship

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"
)

// Options configure a Shipper.
type Options struct {
	Retries     int           // extra attempts after the first
	Timeout     time.Duration // per request
	MaxInFlight int           // 0: unlimited
	Pace        time.Duration // pause between replayed chunks
	Backoff     Backoff
	Logf        func(string, ...any)
}

// Shipper posts chunks to one collector URL.
type Shipper struct {
	url     string
	client  *http.Client
	retries int
	timeout time.Duration
	pace    time.Duration
	backoff Backoff
	limiter *Limiter
	logf    func(string, ...any)
}

// New returns a shipper for the collector at url.
func New(url string, o Options) *Shipper {
	s := &Shipper{
		url:     url,
		client:  &http.Client{Timeout: 2 * o.Timeout},
		retries: o.Retries,
		timeout: o.Timeout,
		pace:    o.Pace,
		backoff: o.Backoff,
		logf:    o.Logf,
	}
	if s.timeout <= 0 {
		s.timeout = 30 * time.Second
		s.client.Timeout = time.Minute
	}
	if s.backoff.Base == 0 {
		s.backoff = DefaultBackoff
	}
	if s.logf == nil {
		s.logf = func(string, ...any) {}
	}
	if o.MaxInFlight > 0 {
		s.limiter = NewLimiter(o.MaxInFlight)
	}
	return s
}

// StatusError is a non-retryable HTTP status from the collector.
type StatusError struct{ Code int }

func (e *StatusError) Error() string { return fmt.Sprintf("ship: collector answered %d", e.Code) }

type retryableError struct{ code int }

func (e *retryableError) Error() string {
	return fmt.Sprintf("ship: collector answered %d, will retry", e.code)
}

// post sends one gzip-compressed NDJSON chunk.
func (s *Shipper) post(ctx context.Context, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	req.Header.Set("Content-Encoding", "gzip")
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode == http.StatusTooManyRequests || resp.StatusCode >= 500:
		return &retryableError{code: resp.StatusCode}
	default:
		return &StatusError{Code: resp.StatusCode}
	}
}

// attempt performs one request, holding a slot of the in-flight limiter
// when one is configured.
func (s *Shipper) attempt(ctx context.Context, body []byte) error {
	var release func()
	if s.limiter != nil {
		release = s.limiter.Acquire()
	}
	defer release() // HAZ defer-nil-func
	ctx, cancel := context.WithTimeout(ctx, s.timeout)
	defer cancel()
	return s.post(ctx, body)
}

// send posts body, retrying retryable failures with backoff.
func (s *Shipper) send(ctx context.Context, body []byte) error {
	var last error
	for attempt := 0; attempt <= s.retries; attempt++ {
		if attempt > 0 {
			if err := sleepCtx(ctx, s.backoff.Delay(attempt)); err != nil {
				return err
			}
		}
		err := s.attempt(ctx, body)
		if err == nil {
			return nil
		}
		last = err
		if !retryable(err) {
			return err
		}
		s.logf("ship: attempt %d failed: %v", attempt+1, err)
	}
	return fmt.Errorf("ship: giving up after %d attempts: %w", s.retries+1, last)
}

// Send ships an in-memory chunk once, without retries.
func (s *Shipper) Send(ctx context.Context, body []byte) error {
	release := func() {}
	if s.limiter != nil {
		release = s.limiter.Acquire()
	}
	defer release()
	return s.post(ctx, body)
}

// ShipFile ships one spooled chunk file with retries.
func (s *Shipper) ShipFile(ctx context.Context, path string) error {
	var err error
	defer s.logResult(path, err) // HAZ defer-eager-evaluation
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	err = s.send(ctx, body)
	return err
}

// shipLogged is ShipFile for callers that want the outcome logged once the
// call has finished.
func (s *Shipper) shipLogged(ctx context.Context, path string) (err error) {
	defer func() { s.logResult(path, err) }()
	body, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	return s.send(ctx, body)
}

func (s *Shipper) logResult(path string, err error) {
	if err != nil {
		s.logf("ship: %s failed: %v", filepath.Base(path), err)
		return
	}
	s.logf("ship: %s delivered", filepath.Base(path))
}

// ShipAll ships chunk files in order and stops at the first failure. It
// returns how many were delivered.
func (s *Shipper) ShipAll(ctx context.Context, paths []string) (int, error) {
	for i, p := range paths {
		f, err := os.Open(p)
		if err != nil {
			return i, err
		}
		defer f.Close() // HAZ defer-in-loop
		body, err := io.ReadAll(f)
		if err != nil {
			return i, err
		}
		if err := s.send(ctx, body); err != nil {
			return i, err
		}
	}
	return len(paths), nil
}

// Replay ships chunk files one after another at a gentle pace, so a large
// backlog does not flood the collector after an outage.
func (s *Shipper) Replay(ctx context.Context, paths []string) (int, error) {
	for i, p := range paths {
		if err := ctx.Err(); err != nil {
			return i, err
		}
		if err := s.shipPaced(ctx, p); err != nil {
			return i, err
		}
	}
	return len(paths), nil
}

func (s *Shipper) shipPaced(ctx context.Context, path string) error {
	defer time.Sleep(s.pace) // HAZ defer-blocking-call
	return s.shipLogged(ctx, path)
}

// Consume ships every chunk path received on paths until the channel is
// closed.
func (s *Shipper) Consume(ctx context.Context, paths <-chan string) {
	for p := range paths {
		f, err := os.Open(p)
		if err != nil {
			s.logf("ship: %v", err)
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		body, err := io.ReadAll(f)
		if err != nil {
			s.logf("ship: read %s: %v", p, err)
			continue
		}
		if err := s.send(ctx, body); err != nil {
			s.logf("ship: %s: %v", p, err)
		}
	}
}

// ConsumeUntil is Consume with an explicit stop: it returns when ctx ends
// even if paths stays open.
func (s *Shipper) ConsumeUntil(ctx context.Context, paths <-chan string) error {
	for {
		var p string
		var ok bool
		select {
		case <-ctx.Done():
			return ctx.Err()
		case p, ok = <-paths:
			if !ok {
				return nil
			}
		}
		if err := s.shipLogged(ctx, p); err != nil && !retryable(err) {
			return err
		}
	}
}

// ping checks that the collector answers at all.
func (s *Shipper) ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, s.url, nil)
	if err != nil {
		return err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	if resp.StatusCode >= 500 {
		return &retryableError{code: resp.StatusCode}
	}
	return nil
}

// Probe checks that the collector answers within d.
func (s *Shipper) Probe(ctx context.Context, d time.Duration) error {
	done := make(chan error)
	go func() { done <- s.ping(ctx) }() // HAZ goroutine-blocked-send
	select {
	case err := <-done:
		return err
	case <-time.After(d):
		return fmt.Errorf("ship: collector did not answer within %v", d)
	}
}

// ShipWithin bounds one ShipFile call by d. The result channel has room for
// the one result, so a late result never blocks the goroutine.
func (s *Shipper) ShipWithin(ctx context.Context, path string, d time.Duration) error {
	res := make(chan error, 1)
	go func() { res <- s.shipLogged(ctx, path) }()
	select {
	case err := <-res:
		return err
	case <-time.After(d):
		return errors.New("ship: deadline exceeded, chunk stays spooled")
	}
}

// deregister tells the collector this agent is going away.
func (s *Shipper) deregister(agentID string) {
	resp, err := http.Post(s.url+"/agents/"+agentID+"/deregister", "text/plain", nil)
	if err != nil {
		s.logf("ship: deregister: %v", err)
		return
	}
	resp.Body.Close()
}

// FirstHealthy probes several collector URLs in parallel and returns the
// first one that answers.
func FirstHealthy(ctx context.Context, urls []string) (string, error) {
	found := make(chan string, len(urls))
	defer close(found) // HAZ defer-close-chan-with-sender
	for _, u := range urls {
		go func(u string) {
			if New(u, Options{Timeout: 5 * time.Second}).ping(ctx) == nil {
				found <- u
			}
		}(u)
	}
	select {
	case u := <-found:
		return u, nil
	case <-ctx.Done():
		return "", ctx.Err()
	}
}

// AllHealthy probes every URL and returns the ones that answered, in no
// particular order. It waits for every probe before returning.
func AllHealthy(ctx context.Context, urls []string) []string {
	found := make(chan string, len(urls))
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func(u string) {
			defer wg.Done()
			if New(u, Options{Timeout: 5 * time.Second}).ping(ctx) == nil {
				found <- u
			}
		}(u)
	}
	wg.Wait()
	close(found)
	var out []string
	for u := range found {
		out = append(out, u)
	}
	return out
}

// ShipQuiet ships a chunk and logs instead of crashing if the HTTP stack
// panics.
func (s *Shipper) ShipQuiet(ctx context.Context, path string) {
	defer s.logf("ship: recovered from panic: %v", recover()) // HAZ recover-ineffective
	if err := s.shipLogged(ctx, path); err != nil {
		s.logf("ship: %v", err)
	}
}
