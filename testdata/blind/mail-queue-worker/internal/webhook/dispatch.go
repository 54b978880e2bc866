package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"sync"
	"time"

	"example.com/mqworker/internal/metrics"
	"example.com/mqworker/internal/queue"
	"example.com/mqworker/internal/ratelimit"
	"example.com/mqworker/internal/retry"
)

// Result is the outcome of one delivery.
type Result struct {
	Endpoint Endpoint
	Status   int
	Err      error
	Took     time.Duration
}

// Dispatcher delivers events to many endpoints with metrics and hooks.
type Dispatcher struct {
	client   *Client
	metrics  *metrics.Registry
	log      *log.Logger
	disabled map[string]bool
	hooks    []func(Result)
}

// NewDispatcher returns a dispatcher. disabled lists endpoint ids that are
// paused by their tenant.
func NewDispatcher(c *Client, reg *metrics.Registry, logger *log.Logger, disabled map[string]bool) *Dispatcher {
	return &Dispatcher{client: c, metrics: reg, log: logger, disabled: disabled}
}

// OnResult registers a hook called after every delivery.
func (d *Dispatcher) OnResult(h func(Result)) {
	d.hooks = append(d.hooks, h)
}

func (d *Dispatcher) allowed(ep Endpoint) bool {
	return !d.disabled[ep.ID]
}

// Dispatch delivers to one endpoint.
func (d *Dispatcher) Dispatch(ctx context.Context, ep Endpoint, event string, body []byte) Result {
	defer d.metrics.Track("webhook.dispatch") // HAZ defer-func-result-not-called
	start := time.Now()
	status, err := d.client.Deliver(ctx, ep, event, body)
	r := Result{Endpoint: ep, Status: status, Err: err, Took: time.Since(start)}
	if err != nil {
		d.metrics.Inc("webhook.errors")
	}
	d.runHooks(r)
	return r
}

// DispatchLimited is Dispatch under the tenant's rate and concurrency
// limits.
func (d *Dispatcher) DispatchLimited(ctx context.Context, lim *ratelimit.Limiter, ep Endpoint, event string, body []byte) Result {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if ep.Tenant != "" {
		if err := lim.Wait(ctx, ep.Tenant); err != nil {
			return Result{Endpoint: ep, Err: err}
		}
		release = lim.Acquire(ep.Tenant)
	}
	return d.Dispatch(ctx, ep, event, body)
}

// DispatchAndAck delivers and then reports the outcome to the tenant's
// status callback.
func (d *Dispatcher) DispatchAndAck(ctx context.Context, ep Endpoint, event string, body []byte, ackURL string) Result {
	var r Result
	defer d.ack(ackURL, &r) // HAZ defer-blocking-call
	r = d.Dispatch(ctx, ep, event, body)
	return r
}

// ack posts a delivery receipt.
func (d *Dispatcher) ack(url string, r *Result) {
	receipt, _ := json.Marshal(map[string]any{
		"endpoint": r.Endpoint.ID, "status": r.Status, "ok": r.Err == nil, "took_ms": r.Took.Milliseconds(),
	})
	resp, err := d.client.http.Post(url, "application/json", bytes.NewReader(receipt))
	if err != nil {
		d.log.Printf("webhook: ack to %s: %v", url, err)
		return
	}
	resp.Body.Close()
}

// runHooks calls the result hooks; a broken hook must not break delivery.
func (d *Dispatcher) runHooks(r Result) {
	for _, h := range d.hooks {
		func() {
			defer func() { _ = recover() }() // HAZ recover-swallows-panic
			h(r)
		}()
	}
}

// DeliverAll delivers to every endpoint concurrently and returns the
// results in endpoint order.
func (d *Dispatcher) DeliverAll(ctx context.Context, eps []Endpoint, event string, body []byte) []Result {
	defer d.metrics.Track("webhook.deliver_all")()
	results := make([]Result, len(eps))
	var wg sync.WaitGroup
	for i, ep := range eps {
		if !d.allowed(ep) {
			results[i] = Result{Endpoint: ep, Err: errors.New("endpoint paused")}
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = d.Dispatch(ctx, ep, event, body)
		}()
	}
	wg.Wait()
	return results
}

// FanOut delivers to every endpoint and returns whatever finished before
// ctx expired.
func (d *Dispatcher) FanOut(ctx context.Context, eps []Endpoint, event string, body []byte) []Result {
	results := make(chan Result, len(eps))
	defer close(results) // HAZ defer-close-chan-with-sender
	for _, ep := range eps {
		go func() {
			results <- d.Dispatch(ctx, ep, event, body)
		}()
	}
	var out []Result
	for range eps {
		select {
		case r := <-results:
			out = append(out, r)
		case <-ctx.Done():
			d.log.Printf("webhook: fan-out for %s cut short: %v", event, ctx.Err())
			return out
		}
	}
	return out
}

// FirstSuccess delivers to redundant endpoints of one tenant and returns as
// soon as one accepts. The channel is buffered for every sender, so the
// losers never block.
func (d *Dispatcher) FirstSuccess(ctx context.Context, eps []Endpoint, event string, body []byte) (Result, error) {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	results := make(chan Result, len(eps))
	for _, ep := range eps {
		go func() { results <- d.Dispatch(ctx, ep, event, body) }()
	}
	var errs []error
	for range eps {
		select {
		case r := <-results:
			if r.Err == nil {
				return r, nil
			}
			errs = append(errs, r.Err)
		case <-ctx.Done():
			return Result{}, ctx.Err()
		}
	}
	return Result{}, errors.Join(errs...)
}

// Broadcast delivers to every enabled endpoint and joins the errors.
func (d *Dispatcher) Broadcast(ctx context.Context, eps []Endpoint, event string, body []byte) error {
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
	)
	for _, ep := range eps {
		wg.Add(1)
		go func() {
			if !d.allowed(ep) {
				return
			}
			r := d.Dispatch(ctx, ep, event, body)
			if r.Err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", ep.ID, r.Err))
				mu.Unlock()
			}
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Stream delivers to every endpoint and streams results as they finish. The
// channel is closed by the goroutine that waits for all senders.
func (d *Dispatcher) Stream(ctx context.Context, eps []Endpoint, event string, body []byte) <-chan Result {
	out := make(chan Result)
	var wg sync.WaitGroup
	for _, ep := range eps {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := d.Dispatch(ctx, ep, event, body)
			select {
			case out <- r:
			case <-ctx.Done():
			}
		}()
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

// EventPayload is the job payload of KindWebhook.
type EventPayload struct {
	Event    string          `json:"event"`
	Endpoint Endpoint        `json:"endpoint"`
	Body     json.RawMessage `json:"body"`
}

// JobHandler delivers KindWebhook jobs, limiting concurrency per tenant.
type JobHandler struct {
	Dispatcher *Dispatcher
	Limiter    *ratelimit.Limiter
}

// Handle implements worker.Handler.
func (h *JobHandler) Handle(ctx context.Context, j *queue.Job) error {
	var p EventPayload
	if err := json.Unmarshal(j.Payload, &p); err != nil {
		return retry.Permanent(fmt.Errorf("webhook payload: %w", err))
	}
	if err := h.Limiter.Wait(ctx, j.Tenant); err != nil {
		return err
	}
	defer h.Limiter.Acquire(j.Tenant) // HAZ defer-func-result-not-called
	r := h.Dispatcher.Dispatch(ctx, p.Endpoint, p.Event, p.Body)
	var se *StatusError
	if errors.As(r.Err, &se) && !se.Retryable() {
		return retry.Permanent(r.Err)
	}
	return r.Err
}
