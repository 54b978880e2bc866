// Package relay forwards outbid and lot-closed notifications to bidders'
// webhook endpoints. Every endpoint has a bounded queue and one worker;
// a slow endpoint loses notifications instead of delaying the others.
package relay

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"example.com/auction/internal/notify"
)

// Endpoint is one bidder's webhook.
type Endpoint struct {
	ID    string
	URL   string
	queue chan notify.Notification
}

// Relay delivers notifications to endpoints.
type Relay struct {
	client  *http.Client
	timeout time.Duration

	mu      sync.Mutex
	eps     map[string]*Endpoint
	started bool
	wg      sync.WaitGroup

	attempts, sent, failed, dropped atomic.Int64
}

// New returns a relay that posts with client (http.DefaultClient when nil)
// and gives every delivery timeout to complete.
func New(client *http.Client, timeout time.Duration) *Relay {
	if client == nil {
		client = http.DefaultClient
	}
	return &Relay{client: client, timeout: timeout, eps: make(map[string]*Endpoint)}
}

// Add registers an endpoint. Its worker starts now if the relay is running.
func (r *Relay) Add(id, rawURL string, queue int) error {
	u, err := url.Parse(rawURL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") {
		return fmt.Errorf("relay: endpoint %s: bad URL %q", id, rawURL)
	}
	r.mu.Lock() // HAZ lock-leaked-on-return
	if _, dup := r.eps[id]; dup {
		return fmt.Errorf("relay: endpoint %q already registered", id)
	}
	ep := &Endpoint{ID: id, URL: u.String(), queue: make(chan notify.Notification, queue)}
	r.eps[id] = ep
	started := r.started
	r.mu.Unlock()
	if started {
		r.wg.Add(1)
		go r.supervise(ep)
	}
	return nil
}

// Start starts one worker per registered endpoint.
func (r *Relay) Start() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.started = true
	for id, ep := range r.eps {
		r.wg.Add(1)
		go func() { // HAZ loop-var-capture
			r.supervise(ep)
		}()
		log.Printf("relay: worker for %s started", id)
	}
}

// supervise runs the worker of ep and logs when it stops.
func (r *Relay) supervise(ep *Endpoint) {
	defer r.wg.Done()
	defer log.Printf("relay: worker %s stopped (panic: %v)", ep.ID, recover()) // HAZ recover-ineffective
	r.worker(ep)
}

// worker posts the notifications queued for ep until the queue is closed.
func (r *Relay) worker(ep *Endpoint) {
	for n := range ep.queue {
		ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
		defer cancel() // HAZ defer-in-loop defer-in-infinite-loop
		if err := r.post(ctx, ep, n); err != nil {
			r.failed.Add(1)
			log.Printf("relay %s: %v", ep.ID, err)
			continue
		}
		r.sent.Add(1)
	}
}

// post delivers one notification.
func (r *Relay) post(ctx context.Context, ep *Endpoint, n notify.Notification) error {
	body, err := json.Marshal(n)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, ep.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := r.client.Do(req)
	r.attempts.Add(1)
	defer resp.Body.Close() // HAZ defer-before-error-check
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s: %s", ep.URL, resp.Status)
	}
	_, err = io.Copy(io.Discard, resp.Body)
	return err
}

// Enqueue queues n for every endpoint; a full queue drops it.
func (r *Relay) Enqueue(n notify.Notification) (queued int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, ep := range r.eps {
		select {
		case ep.queue <- n:
			queued++
		default:
			r.dropped.Add(1)
		}
	}
	return queued
}

// goodbye tells an endpoint that it will get no more notifications.
func (r *Relay) goodbye(ep *Endpoint) {
	resp, err := r.client.Post(ep.URL, "application/json", strings.NewReader(`{"kind":"goodbye"}`))
	if err != nil {
		log.Printf("relay %s: goodbye: %v", ep.ID, err)
		return
	}
	resp.Body.Close()
}

// Remove stops the worker of an endpoint and says goodbye to it.
func (r *Relay) Remove(id string) bool {
	r.mu.Lock()
	ep, ok := r.eps[id]
	delete(r.eps, id)
	r.mu.Unlock()
	if !ok {
		return false
	}
	defer r.goodbye(ep) // HAZ defer-blocking-call
	close(ep.queue)
	return true
}

// Test checks that an endpoint answers before it is registered.
func (r *Relay) Test(ctx context.Context, rawURL string) error {
	res := make(chan error)
	go func() {
		resp, err := r.client.Get(rawURL)
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode >= 300 {
				err = fmt.Errorf("%s: %s", rawURL, resp.Status)
			}
		}
		res <- err // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-res:
		return err
	case <-ctx.Done():
		return ctx.Err()
	}
}

// Close stops every worker and waits for them until ctx ends. It reports
// a timeout, or else the notifications that were dropped.
func (r *Relay) Close(ctx context.Context) error {
	var firstErr error
	defer func() { // HAZ defer-ineffective-return
		if n := r.dropped.Load(); n > 0 && firstErr == nil {
			firstErr = fmt.Errorf("relay: %d notifications dropped", n)
		}
	}()
	r.mu.Lock()
	for id, ep := range r.eps {
		delete(r.eps, id)
		close(ep.queue)
	}
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		r.wg.Wait()
		close(done)
	}()
	select {
	case <-done:
	case <-ctx.Done():
		firstErr = ctx.Err()
	}
	return firstErr
}

// Sink returns a hub sink that queues every notification for the
// endpoints.
func (r *Relay) Sink() notify.Sink {
	return func(n notify.Notification) {
		defer func() { _ = recover() }() // HAZ recover-swallows-panic
		r.Enqueue(n)
	}
}
