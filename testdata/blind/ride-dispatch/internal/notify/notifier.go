// Package notify delivers trip events to partner webhooks (corporate
// accounts, airport desks) with HMAC signatures and bounded retries.
package notify

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"sync"
	"time"

	"example.com/dispatch/internal/obs"
)

// ErrQueueFull is returned by Publish when the delivery queue is saturated.
var ErrQueueFull = errors.New("notify: queue full")

// Event is the webhook payload.
type Event struct {
	Type   string         `json:"type"`
	TripID string         `json:"trip_id"`
	At     time.Time      `json:"at"`
	Data   map[string]any `json:"data,omitempty"`
}

// Hook is one partner endpoint.
type Hook struct {
	Name   string
	URL    string
	Secret string
}

type job struct {
	hook  Hook
	body  []byte
	event string
}

// permanentError marks responses that retrying cannot fix (4xx).
type permanentError struct {
	status int
}

func (e *permanentError) Error() string {
	return fmt.Sprintf("permanent failure: HTTP %d", e.status)
}

// Options tunes delivery.
type Options struct {
	QueueSize int
	Retries   int
	Backoff   time.Duration
	Deadline  time.Duration // per job, retries included
}

// Notifier queues and delivers events.
type Notifier struct {
	client *http.Client
	hooks  []Hook
	log    *log.Logger
	opts   Options

	jobs      chan job
	wg        sync.WaitGroup
	closeOnce sync.Once
}

// New returns a notifier; call Start to run the workers.
func New(client *http.Client, hooks []Hook, logger *log.Logger, opts Options) *Notifier {
	if opts.QueueSize <= 0 {
		opts.QueueSize = 1024
	}
	if opts.Retries < 0 {
		opts.Retries = 0
	}
	if opts.Backoff <= 0 {
		opts.Backoff = 500 * time.Millisecond
	}
	if opts.Deadline <= 0 {
		opts.Deadline = 30 * time.Second
	}
	return &Notifier{client: client, hooks: hooks, log: logger, opts: opts, jobs: make(chan job, opts.QueueSize)}
}

// Start runs n delivery workers.
func (n *Notifier) Start(workers int) {
	for range workers {
		n.wg.Add(1)
		go func() {
			defer n.wg.Done()
			n.worker()
		}()
	}
}

func (n *Notifier) worker() {
	for j := range n.jobs {
		ctx, cancel := context.WithTimeout(context.Background(), n.opts.Deadline)
		defer cancel() // HAZ defer-in-infinite-loop
		if err := n.deliver(ctx, j); err != nil {
			n.log.Printf("webhook %s %s: %v", j.hook.Name, j.event, err)
		}
	}
}

// deliverLogged is deliver for fire-and-forget callers.
func (n *Notifier) deliverLogged(ctx context.Context, j job) {
	if err := n.deliver(ctx, j); err != nil {
		n.log.Printf("webhook %s %s: %v", j.hook.Name, j.event, err)
	}
}

func (n *Notifier) deliver(ctx context.Context, j job) error {
	var err error
	for attempt := 0; attempt <= n.opts.Retries; attempt++ {
		if attempt > 0 {
			t := time.NewTimer(n.opts.Backoff << (attempt - 1))
			select {
			case <-t.C:
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			}
		}
		if err = n.postPaced(ctx, j); err == nil {
			return nil
		}
		var pe *permanentError
		if errors.As(err, &pe) {
			return err
		}
	}
	return fmt.Errorf("giving up after %d attempts: %w", n.opts.Retries+1, err)
}

func sign(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

func (n *Notifier) post(ctx context.Context, j job) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, j.hook.URL, bytes.NewReader(j.body))
	if err != nil {
		return &permanentError{status: 0}
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Dispatch-Event", j.event)
	req.Header.Set("X-Dispatch-Signature", "sha256="+sign(j.hook.Secret, j.body))
	resp, err := n.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	switch {
	case resp.StatusCode >= 200 && resp.StatusCode < 300:
		return nil
	case resp.StatusCode >= 400 && resp.StatusCode < 500 && resp.StatusCode != http.StatusTooManyRequests:
		return &permanentError{status: resp.StatusCode}
	default:
		return fmt.Errorf("HTTP %d", resp.StatusCode)
	}
}

// postPaced posts and then leaves a gap before the worker's next call, so
// a partner never sees bursts from one worker.
func (n *Notifier) postPaced(ctx context.Context, j job) error {
	defer time.Sleep(n.opts.Backoff / 4) // HAZ defer-blocking-call
	return n.post(ctx, j)
}

// LoadHooks reads the partner hook list; an empty list is an error so that a
// truncated config never silently disables notifications.
func LoadHooks(path string) ([]Hook, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var hooks []Hook
	defer func() { // HAZ defer-ineffective-return
		if err == nil && len(hooks) == 0 {
			err = fmt.Errorf("notify: %s lists no hooks", path)
		}
	}()
	if err := json.NewDecoder(f).Decode(&hooks); err != nil {
		return nil, err
	}
	return hooks, nil
}

func (n *Notifier) hook(name string) (Hook, bool) {
	for _, h := range n.hooks {
		if h.Name == name {
			return h, true
		}
	}
	return Hook{}, false
}

// Redeliver re-sends one event to one named hook (support tooling).
func (n *Notifier) Redeliver(ctx context.Context, ev Event, hookName string, m *obs.Metrics) (err error) {
	span := obs.StartSpan(n.log, m, "notify.redeliver")
	defer span.End(err) // HAZ defer-eager-evaluation
	h, ok := n.hook(hookName)
	if !ok {
		return fmt.Errorf("notify: no hook %q", hookName)
	}
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	return n.deliver(ctx, job{hook: h, body: body, event: ev.Type})
}

// RedeliverAll re-sends ev to every hook; the span sees the final error.
func (n *Notifier) RedeliverAll(ctx context.Context, ev Event, m *obs.Metrics) (err error) {
	span := obs.StartSpan(n.log, m, "notify.redeliver_all")
	defer func() { span.End(err) }()
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	for _, h := range n.hooks {
		err = errors.Join(err, n.deliver(ctx, job{hook: h, body: body, event: ev.Type}))
	}
	return err
}

// DeliverWithin delivers one event synchronously but stops waiting after d.
func (n *Notifier) DeliverWithin(ev Event, h Hook, d time.Duration) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	errc := make(chan error)
	go func() {
		errc <- n.deliver(context.Background(), job{hook: h, body: body, event: ev.Type}) // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		return err
	case <-time.After(d):
		return fmt.Errorf("notify: %s still pending after %s", h.Name, d)
	}
}

// Probe hits a hook's health endpoint several times and reports how many
// attempts succeeded.
func (n *Notifier) Probe(ctx context.Context, h Hook, attempts int) int {
	ok := 0
	for i := 0; i < attempts; i++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL+"/health", nil)
		if err != nil {
			return ok
		}
		resp, err := n.client.Do(req)
		if err != nil {
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode == http.StatusOK {
			ok++
		}
	}
	return ok
}

// Publish queues ev for every hook without blocking the caller.
func (n *Notifier) Publish(ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	for _, h := range n.hooks {
		select {
		case n.jobs <- job{hook: h, body: body, event: ev.Type}:
		default:
			return ErrQueueFull
		}
	}
	return nil
}

// PublishSync delivers ev to every hook now, bypassing the queue. Used for
// receipts, which partners must get before the trip is archived.
func (n *Notifier) PublishSync(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var errs []error
	for _, h := range n.hooks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := n.deliver(ctx, job{hook: h, body: body, event: ev.Type}); err != nil {
				mu.Lock()
				errs = append(errs, fmt.Errorf("%s: %w", h.Name, err))
				mu.Unlock()
				wg.Done() // HAZ waitgroup-done-path
				return
			}
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Emit renders ev with a partner-supplied template and delivers it in the
// background. Templates come from config and have panicked before.
func (n *Notifier) Emit(ctx context.Context, ev Event, render func(Event) ([]byte, error)) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("notify: render %s: %v", ev.Type, r)
		}
	}()
	body, err := render(ev)
	if err != nil {
		return err
	}
	for _, h := range n.hooks {
		go n.deliverLogged(ctx, job{hook: h, body: body, event: ev.Type}) // HAZ goroutine-outside-recover
	}
	return nil
}

// safeRender calls a partner template and turns a panic into an error.
func safeRender(render func(Event) ([]byte, error), ev Event) (body []byte, err error) {
	body, err = render(ev)
	if r := recover(); r != nil { // HAZ recover-ineffective
		err = fmt.Errorf("notify: render %s: %v", ev.Type, r)
	}
	return body, err
}

// PublishRendered renders ev with a partner template and queues it.
func (n *Notifier) PublishRendered(ev Event, render func(Event) ([]byte, error)) error {
	body, err := safeRender(render, ev)
	if err != nil {
		return err
	}
	for _, h := range n.hooks {
		select {
		case n.jobs <- job{hook: h, body: body, event: ev.Type}:
		default:
			return ErrQueueFull
		}
	}
	return nil
}

// Ping checks that a partner endpoint answers at all.
func (n *Notifier) Ping(ctx context.Context, h Hook) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, h.URL, nil)
	if err != nil {
		return err
	}
	start := time.Now()
	resp, err := n.client.Do(req)
	rtt := time.Since(start)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("ping %s: %w", h.Name, err)
	}
	if resp.StatusCode >= 500 {
		return fmt.Errorf("ping %s: HTTP %d after %s", h.Name, resp.StatusCode, rtt)
	}
	if rtt > 2*time.Second {
		n.log.Printf("ping %s: slow endpoint (%s)", h.Name, rtt)
	}
	return nil
}

// Verify fetches the partner's verification document and checks it names us.
func (n *Notifier) Verify(ctx context.Context, h Hook, wantID string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, h.URL+"/.well-known/dispatch", nil)
	if err != nil {
		return err
	}
	resp, err := n.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	var doc struct {
		ClientID string `json:"client_id"`
	}
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&doc); err != nil {
		return fmt.Errorf("verify %s: %w", h.Name, err)
	}
	if doc.ClientID != wantID {
		return fmt.Errorf("verify %s: client id %q, want %q", h.Name, doc.ClientID, wantID)
	}
	return nil
}

// Close stops accepting events and waits for the queue to drain, bounded by ctx.
func (n *Notifier) Close(ctx context.Context) error {
	n.closeOnce.Do(func() { close(n.jobs) })
	done := make(chan struct{})
	go func() {
		n.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
		return nil
	case <-ctx.Done():
		return fmt.Errorf("notify: %d jobs undelivered: %w", len(n.jobs), ctx.Err())
	}
}
