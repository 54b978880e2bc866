package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"sync"
	"time"
)

const userAgent = "payments-ledger-webhooks/1.0"

// Event is what merchants receive.
type Event struct {
	ID         string          `json:"id"`
	Type       string          `json:"type"`
	MerchantID string          `json:"merchant_id"`
	Payload    json.RawMessage `json:"payload,omitempty"`
	CreatedAt  time.Time       `json:"created_at"`
}

// Deliverer posts events to merchant endpoints.
type Deliverer struct {
	client      *http.Client
	reg         *Registry
	log         *log.Logger
	maxAttempts int
	baseBackoff time.Duration
	maxBackoff  time.Duration
	now         func() time.Time
	metrics     metrics

	// OnDelivered, when set, is called after each successful delivery.
	OnDelivered func(ev Event, status int)
}

// NewDeliverer returns a deliverer for the endpoints in reg.
func NewDeliverer(reg *Registry, logger *log.Logger) *Deliverer {
	return &Deliverer{
		client:      &http.Client{Timeout: 15 * time.Second},
		reg:         reg,
		log:         logger,
		maxAttempts: 5,
		baseBackoff: 500 * time.Millisecond,
		maxBackoff:  time.Minute,
		now:         time.Now,
	}
}

func (d *Deliverer) newRequest(ctx context.Context, ep Endpoint, ev Event) (*http.Request, error) {
	body, err := json.Marshal(ev)
	if err != nil {
		return nil, fmt.Errorf("webhook: encode %s: %w", ev.ID, err)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return nil, fmt.Errorf("webhook: request for %s: %w", ep.MerchantID, err)
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Ledger-Event-Id", ev.ID)
	req.Header.Set(SignatureHeader, Sign(ep.Secret, d.now(), body))
	return req, nil
}

// do sends req with the deliverer's client and user agent.
func (d *Deliverer) do(req *http.Request) (*http.Response, error) {
	req.Header.Set("User-Agent", userAgent)
	resp, err := d.client.Do(req)
	if err != nil {
		return nil, fmt.Errorf("webhook: post %s: %w", req.URL.Redacted(), err)
	}
	return resp, nil
}

func (d *Deliverer) backoffFor(attempt int) time.Duration {
	if attempt < 1 {
		attempt = 1
	}
	b := d.baseBackoff << (attempt - 1)
	if b <= 0 || b > d.maxBackoff {
		b = d.maxBackoff
	}
	return b
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// sendOnce posts ev to ep once and returns the HTTP status.
func (d *Deliverer) sendOnce(ctx context.Context, ep Endpoint, ev Event) (int, error) {
	req, err := d.newRequest(ctx, ep, ev)
	if err != nil {
		return 0, err
	}
	resp, err := d.do(req)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return 0, err
	}
	// Drain a bounded amount so that the connection can be reused.
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	return resp.StatusCode, nil
}

// Probe checks that a merchant endpoint answers a signed ping before it is
// registered.
func (d *Deliverer) Probe(ctx context.Context, ep Endpoint) error {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	ping := Event{ID: "ping", Type: "ping", MerchantID: ep.MerchantID, CreatedAt: d.now()}
	req, err := d.newRequest(ctx, ep, ping)
	if err != nil {
		return err
	}
	resp, err := d.do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("webhook: %s answered the ping with %s", ep.URL, resp.Status)
	}
	return nil
}

// ProbeAll pings every registered endpoint, giving each two seconds, and
// returns the merchants whose endpoint failed.
func (d *Deliverer) ProbeAll(ctx context.Context) []string {
	var failed []string
	for _, m := range d.reg.Merchants() {
		ep, ok := d.reg.Lookup(m)
		if !ok {
			continue
		}
		pctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		defer cancel() // HAZ defer-in-loop
		if err := d.Probe(pctx, ep); err != nil {
			d.log.Printf("webhook: probe %s: %v", m, err)
			failed = append(failed, m)
		}
	}
	return failed
}

// ProbeMerchants pings the given merchants in parallel and returns the
// error of each one that failed.
func (d *Deliverer) ProbeMerchants(ctx context.Context, merchants []string) map[string]error {
	var (
		wg     sync.WaitGroup
		mu     sync.Mutex
		failed = make(map[string]error)
	)
	for _, m := range merchants {
		wg.Add(1)
		go func() {
			ep, ok := d.reg.Lookup(m)
			if !ok {
				return
			}
			if err := d.Probe(ctx, ep); err != nil {
				mu.Lock()
				failed[m] = err
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return failed
}

// RegisterVerified pings the endpoint while its configuration is checked and
// registers it only when both succeed.
func (d *Deliverer) RegisterVerified(ctx context.Context, ep Endpoint) error {
	probed := make(chan error)
	go func() {
		probed <- d.Probe(ctx, ep) // HAZ goroutine-blocked-send
	}()
	if err := ep.validate(); err != nil {
		return err
	}
	if err := <-probed; err != nil {
		return fmt.Errorf("webhook: endpoint of %s failed the ping: %w", ep.MerchantID, err)
	}
	return d.reg.Replace(ep)
}

// Deliver posts ev to its merchant, retrying with backoff until it is
// accepted, the attempts are used up or ctx ends.
func (d *Deliverer) Deliver(ctx context.Context, ev Event) error {
	ep, ok := d.reg.Lookup(ev.MerchantID)
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoEndpoint, ev.MerchantID)
	}
	var lastErr error
	for attempt := 1; attempt <= d.maxAttempts; attempt++ {
		req, err := d.newRequest(ctx, ep, ev)
		if err != nil {
			return err
		}
		resp, err := d.do(req)
		if err == nil {
			defer resp.Body.Close() // HAZ defer-in-loop
			if resp.StatusCode/100 == 2 {
				d.notifyHook(ev, resp.StatusCode)
				return nil
			}
			err = fmt.Errorf("webhook: %s answered %s", ep.URL, resp.Status)
		}
		lastErr = err
		if err := sleepCtx(ctx, d.backoffFor(attempt)); err != nil {
			return errors.Join(lastErr, err)
		}
	}
	return fmt.Errorf("webhook: %s undelivered after %d attempts: %w", ev.ID, d.maxAttempts, lastErr)
}

// Replay re-sends events once each (no retries), e.g. after a merchant
// fixed its endpoint, and reports how many were accepted.
func (d *Deliverer) Replay(ctx context.Context, events []Event) (int, error) {
	accepted := 0
	var errs []error
	for _, ev := range events {
		ep, ok := d.reg.Lookup(ev.MerchantID)
		if !ok {
			errs = append(errs, fmt.Errorf("%w: %s", ErrNoEndpoint, ev.MerchantID))
			continue
		}
		status, err := func() (int, error) {
			req, err := d.newRequest(ctx, ep, ev)
			if err != nil {
				return 0, err
			}
			resp, err := d.do(req)
			if err != nil {
				return 0, err
			}
			defer resp.Body.Close()
			return resp.StatusCode, nil
		}()
		switch {
		case err != nil:
			errs = append(errs, err)
		case status/100 == 2:
			accepted++
		default:
			errs = append(errs, fmt.Errorf("webhook: replay of %s answered %d", ev.ID, status))
		}
	}
	return accepted, errors.Join(errs...)
}

// DeliverTo sends ev to ep once and records the outcome in the metrics.
func (d *Deliverer) DeliverTo(ctx context.Context, ep Endpoint, ev Event) (err error) {
	defer d.metrics.observe(ep.MerchantID, err) // HAZ defer-eager-evaluation
	status, err := d.sendOnce(ctx, ep, ev)
	if err != nil {
		return err
	}
	if status/100 != 2 {
		return fmt.Errorf("webhook: %s answered %d to %s", ep.MerchantID, status, ev.ID)
	}
	d.notifyHook(ev, status)
	return nil
}

// DeliverObserved is DeliverTo for the admin "send test event" button: the
// outcome is recorded once the attempt is over.
func (d *Deliverer) DeliverObserved(ctx context.Context, ep Endpoint, ev Event) (err error) {
	defer func() { d.metrics.observe(ep.MerchantID, err) }()
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	status, err := d.sendOnce(ctx, ep, ev)
	if err == nil && status/100 != 2 {
		err = fmt.Errorf("webhook: %s answered %d to test event", ep.MerchantID, status)
	}
	return err
}

// Attempt makes delivery attempt number attempt for the queue worker. On
// failure it waits out the backoff before returning so that the worker does
// not hammer a failing merchant.
func (d *Deliverer) Attempt(ctx context.Context, ev Event, attempt int) (err error) {
	defer func() { // HAZ defer-blocking-call
		if err != nil {
			d.log.Printf("webhook: attempt %d for %s failed: %v", attempt, ev.ID, err)
			time.Sleep(d.backoffFor(attempt))
		}
	}()
	ep, ok := d.reg.Lookup(ev.MerchantID)
	if !ok {
		return fmt.Errorf("%w: %s", ErrNoEndpoint, ev.MerchantID)
	}
	return d.DeliverTo(ctx, ep, ev)
}

// DeliverWithin is Deliver with an overall deadline, for the synchronous
// "notify merchant" option of the API.
func (d *Deliverer) DeliverWithin(ctx context.Context, ev Event, limit time.Duration) error {
	done := make(chan error)
	go func() { done <- d.Deliver(ctx, ev) }() // HAZ goroutine-blocked-send
	timer := time.NewTimer(limit)
	defer timer.Stop()
	select {
	case err := <-done:
		return err
	case <-timer.C:
		return fmt.Errorf("webhook: %s not delivered within %s", ev.ID, limit)
	}
}

// DeliverBounded is DeliverWithin done right: the worker can always hand its
// result over, even after the caller gave up.
func (d *Deliverer) DeliverBounded(ctx context.Context, ev Event, limit time.Duration) error {
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()
	done := make(chan error, 1)
	go func() { done <- d.Deliver(ctx, ev) }()
	select {
	case err := <-done:
		return err
	case <-ctx.Done():
		return fmt.Errorf("webhook: %s not delivered within %s: %w", ev.ID, limit, ctx.Err())
	}
}

// Result is the outcome of a broadcast to one merchant.
type Result struct {
	MerchantID string
	Err        error
}

// Broadcast sends a platform-wide event (maintenance window, new API version)
// to every registered merchant in parallel.
func (d *Deliverer) Broadcast(ctx context.Context, ev Event) []Result {
	merchants := d.reg.Merchants()
	results := make(chan Result, len(merchants))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, m := range merchants {
		go func() {
			ep, ok := d.reg.Lookup(m)
			if !ok {
				results <- Result{MerchantID: m, Err: ErrNoEndpoint}
				return
			}
			ev := ev
			ev.MerchantID = m
			results <- Result{MerchantID: m, Err: d.DeliverTo(ctx, ep, ev)}
		}()
	}
	out := make([]Result, 0, len(merchants))
	for range merchants {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			return out
		}
	}
	return out
}

// notifyHook runs the OnDelivered callback; a broken callback must never
// break delivery.
func (d *Deliverer) notifyHook(ev Event, status int) {
	if d.OnDelivered == nil {
		return
	}
	defer func() { _ = recover() }() // HAZ recover-swallows-panic
	d.OnDelivered(ev, status)
}
