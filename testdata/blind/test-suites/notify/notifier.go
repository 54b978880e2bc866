// Package notify delivers order events to customer webhooks.
package notify

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"time"

	"example.com/testsuites/clock"
	"example.com/testsuites/order"
)

// ErrTimeout is returned when a delivery takes longer than allowed.
var ErrTimeout = errors.New("notify: timed out")

// Event is the payload posted to webhooks.
type Event struct {
	Type    string       `json:"type"`
	OrderID string       `json:"order_id"`
	Status  order.Status `json:"status"`
	At      time.Time    `json:"at"`
}

// StatusError reports a non-2xx answer from a webhook.
type StatusError struct {
	URL  string
	Code int
}

func (e *StatusError) Error() string {
	return fmt.Sprintf("notify: %s answered %d", e.URL, e.Code)
}

// Temporary reports whether retrying may help.
func (e *StatusError) Temporary() bool {
	return e.Code == http.StatusTooManyRequests || e.Code >= 500
}

// Limiter bounds the number of concurrent deliveries.
type Limiter struct {
	tokens chan struct{}
}

// NewLimiter allows n concurrent deliveries.
func NewLimiter(n int) *Limiter {
	return &Limiter{tokens: make(chan struct{}, n)}
}

// Acquire waits for a slot and returns the func that frees it.
func (l *Limiter) Acquire() func() {
	l.tokens <- struct{}{}
	return func() {
		select {
		case <-l.tokens:
		default:
		}
	}
}

// InUse reports how many slots are taken.
func (l *Limiter) InUse() int { return len(l.tokens) }

// Option configures a Notifier.
type Option func(*Notifier)

// WithClient sets the HTTP client.
func WithClient(c *http.Client) Option { return func(n *Notifier) { n.client = c } }

// WithTimeout bounds each delivery.
func WithTimeout(d time.Duration) Option { return func(n *Notifier) { n.timeout = d } }

// WithClock sets the clock used for timeouts in SendAsync.
func WithClock(c clock.Clock) Option { return func(n *Notifier) { n.clock = c } }

// WithHooks adds extra webhook URLs used by Broadcast.
func WithHooks(urls ...string) Option {
	return func(n *Notifier) { n.hooks = append(n.hooks, urls...) }
}

// WithLimiter bounds concurrent deliveries.
func WithLimiter(l *Limiter) Option { return func(n *Notifier) { n.limiter = l } }

// Notifier posts events to a webhook.
type Notifier struct {
	url     string
	hooks   []string
	client  *http.Client
	timeout time.Duration
	clock   clock.Clock
	limiter *Limiter

	sent    atomic.Int64
	failed  atomic.Int64
	lastRTT atomic.Int64
}

// New returns a notifier posting to url.
func New(url string, opts ...Option) *Notifier {
	n := &Notifier{url: url, client: http.DefaultClient, timeout: 5 * time.Second, clock: clock.Real{}}
	for _, opt := range opts {
		opt(n)
	}
	return n
}

// Sent reports the number of successful deliveries.
func (n *Notifier) Sent() int64 { return n.sent.Load() }

// Failed reports the number of failed deliveries.
func (n *Notifier) Failed() int64 { return n.failed.Load() }

// LastRTT returns the round-trip time of the latest Ping.
func (n *Notifier) LastRTT() time.Duration { return time.Duration(n.lastRTT.Load()) }

// Send posts ev to the primary webhook.
func (n *Notifier) Send(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, n.timeout)
	defer cancel()
	if err := n.post(ctx, n.url, body); err != nil {
		n.failed.Add(1)
		return err
	}
	n.sent.Add(1)
	return nil
}

func (n *Notifier) post(ctx context.Context, url string, body []byte) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := n.client.Do(req)
	if err != nil {
		return fmt.Errorf("notify: post %s: %w", url, err)
	}
	defer resp.Body.Close()
	io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return &StatusError{URL: url, Code: resp.StatusCode}
	}
	return nil
}

// Ping checks that the primary webhook answers HEAD requests.
func (n *Notifier) Ping(ctx context.Context) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, n.url, nil)
	if err != nil {
		return err
	}
	start := n.clock.Now()
	resp, err := n.client.Do(req)
	n.lastRTT.Store(int64(n.clock.Now().Sub(start)))
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return fmt.Errorf("notify: ping %s: %w", n.url, err)
	}
	if resp.StatusCode >= 400 {
		return &StatusError{URL: n.url, Code: resp.StatusCode}
	}
	return nil
}

// SendAsync sends ev on a background goroutine and gives up waiting after
// the notifier's timeout.
func (n *Notifier) SendAsync(ev Event) error {
	errc := make(chan error)
	go func() { errc <- n.Send(context.Background(), ev) }() // HAZ goroutine-blocked-send
	select {
	case err := <-errc:
		return err
	case <-n.clock.After(n.timeout):
		return ErrTimeout
	}
}

// SendWithin is SendAsync with a result channel the sender can always
// complete, so an abandoned delivery finishes and is collected.
func (n *Notifier) SendWithin(ev Event, d time.Duration) error {
	errc := make(chan error, 1)
	go func() { errc <- n.Send(context.Background(), ev) }()
	select {
	case err := <-errc:
		return err
	case <-n.clock.After(d):
		return ErrTimeout
	}
}

// Broadcast posts ev to every extra hook and returns the first error.
func (n *Notifier) Broadcast(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	errc := make(chan error, len(n.hooks))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, url := range n.hooks {
		go func() { errc <- n.post(ctx, url, body) }()
	}
	for range n.hooks {
		if err := <-errc; err != nil {
			return err
		}
	}
	return nil
}

// BroadcastAll posts ev to every extra hook and joins all errors.
func (n *Notifier) BroadcastAll(ctx context.Context, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	errc := make(chan error, len(n.hooks))
	defer close(errc)
	for _, url := range n.hooks {
		go func() { errc <- n.post(ctx, url, body) }()
	}
	var errs []error
	for range n.hooks {
		if err := <-errc; err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// SendLimited sends ev while holding a limiter slot.
func (n *Notifier) SendLimited(ctx context.Context, ev Event) error {
	release := func() {}
	defer release() // HAZ defer-eager-evaluation
	if n.limiter != nil {
		release = n.limiter.Acquire()
	}
	return n.Send(ctx, ev)
}

func (n *Notifier) acquire() func() {
	if n.limiter == nil {
		return func() {}
	}
	return n.limiter.Acquire()
}

// SendBounded is SendLimited with the slot acquired now and freed on exit.
func (n *Notifier) SendBounded(ctx context.Context, ev Event) error {
	defer n.acquire()()
	return n.Send(ctx, ev)
}
