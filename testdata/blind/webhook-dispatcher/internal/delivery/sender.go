package delivery

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"

	"example.com/webhooks/internal/breaker"
	"example.com/webhooks/internal/metrics"
	"example.com/webhooks/internal/signing"
)

const userAgent = "webhooks-dispatcher/1.4"

// Sender delivers webhooks.
type Sender struct {
	client      *http.Client
	breakers    *breaker.Set
	backoff     Backoff
	maxAttempts int
	metrics     *metrics.Registry
	log         *log.Logger
}

// Options configure a Sender.
type Options struct {
	MaxAttempts int
	Backoff     Backoff
}

// NewSender returns a Sender using client for HTTP and breakers for
// endpoint health.
func NewSender(client *http.Client, breakers *breaker.Set, reg *metrics.Registry, logger *log.Logger, opts Options) *Sender {
	if opts.MaxAttempts < 1 {
		opts.MaxAttempts = 5
	}
	if opts.Backoff.Base == 0 {
		opts.Backoff = Backoff{Base: 500 * time.Millisecond, Max: time.Minute}
	}
	return &Sender{
		client:      client,
		breakers:    breakers,
		backoff:     opts.Backoff,
		maxAttempts: opts.MaxAttempts,
		metrics:     reg,
		log:         logger,
	}
}

// newRequest builds the signed POST for d.
func (s *Sender) newRequest(ctx context.Context, d Delivery) (*http.Request, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.URL, bytes.NewReader(d.Payload))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", userAgent)
	req.Header.Set("X-Webhook-ID", d.ID)
	req.Header.Set("X-Webhook-Event", d.Event)
	req.Header.Set(signing.Header, signing.Sign([]byte(d.Secret), time.Now(), d.Payload))
	return req, nil
}

// attempt performs one POST and drains the response so the connection can
// be reused.
func (s *Sender) attempt(ctx context.Context, d Delivery) (int, error) {
	req, err := s.newRequest(ctx, d)
	if err != nil {
		return 0, err
	}
	resp, err := s.client.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// Deliver sends d, retrying retryable failures with backoff and honouring
// the endpoint's breaker.
func (s *Sender) Deliver(ctx context.Context, d Delivery) Result {
	res := Result{DeliveryID: d.ID, URL: d.URL}
	b := s.breakers.For(d.URL)
	start := time.Now()
	for attempt := 1; attempt <= s.maxAttempts; attempt++ {
		res.Attempts = attempt
		if !b.Allow() {
			res.Err = ErrCircuitOpen
			break
		}
		status, err := s.attempt(ctx, d)
		res.Status, res.Err = status, err
		if err == nil && !Retryable(status) {
			// The endpoint is up, even if it rejected this payload.
			b.Success()
			break
		}
		b.Failure()
		if attempt == s.maxAttempts {
			break
		}
		t := time.NewTimer(s.backoff.Delay(attempt))
		select {
		case <-ctx.Done():
			t.Stop()
			res.Err = ctx.Err()
			res.Duration = time.Since(start)
			return res
		case <-t.C:
		}
	}
	if res.Err == nil && !res.OK() {
		res.Err = fmt.Errorf("delivery: endpoint answered %d", res.Status)
	}
	res.Duration = time.Since(start)
	s.metrics.Observe("delivery.latency", res.Duration)
	return res
}

// DeliverLogged is Deliver plus a completion line in the delivery log.
func (s *Sender) DeliverLogged(ctx context.Context, d Delivery) Result {
	defer s.log.Printf("delivery %s to %s finished at %s", d.ID, d.URL, time.Now().Format(time.RFC3339Nano)) // HAZ defer-eager-evaluation
	res := s.Deliver(ctx, d)
	if !res.OK() {
		s.log.Printf("delivery %s failed after %d attempts: %v", d.ID, res.Attempts, res.Err)
	}
	return res
}

// DeliverPaced delivers d and then waits gap before returning, so that a
// caller draining a backlog does not hammer the receiver.
func (s *Sender) DeliverPaced(ctx context.Context, d Delivery, gap time.Duration) Result {
	defer time.Sleep(gap) // HAZ defer-blocking-call
	return s.Deliver(ctx, d)
}

// DeliverAll sends a batch with at most limit requests in flight and
// returns the results in input order.
func (s *Sender) DeliverAll(ctx context.Context, ds []Delivery, limit int) []Result {
	if limit < 1 {
		limit = 1
	}
	results := make([]Result, len(ds))
	sem := make(chan struct{}, limit)
	var wg sync.WaitGroup
	for i, d := range ds {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, d Delivery) {
			defer wg.Done()
			results[i] = s.Deliver(ctx, d)
			<-sem
		}(i, d)
	}
	wg.Wait()
	return results
}

// Broadcast sends the same event to several endpoints (a tenant's fan-out
// list) and returns the result per URL.
func (s *Sender) Broadcast(ctx context.Context, d Delivery, urls []string) map[string]Result {
	out := make(map[string]Result, len(urls))
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, u := range urls {
		wg.Add(1)
		go func() { // HAZ loop-var-capture
			defer wg.Done()
			dd := d
			dd.URL = u
			r := s.Deliver(ctx, dd)
			mu.Lock()
			out[u] = r
			mu.Unlock()
		}()
		s.metrics.Inc("delivery.fanout", 1)
	}
	wg.Wait()
	return out
}
