// Package notify delivers bucket event notifications (object created,
// deleted, expired) to webhooks registered by the bucket owners.
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
	"log"
	"net/http"
	"os"
	"path"
	"sync"
	"sync/atomic"
	"time"
)

var errClosed = errors.New("notify: dispatcher closed")

// Event is one bucket notification.
type Event struct {
	ID     string    `json:"id"`
	Type   string    `json:"type"` // "put", "delete", "expire"
	Bucket string    `json:"bucket"`
	Key    string    `json:"key"`
	Size   int64     `json:"size,omitempty"`
	Time   time.Time `json:"time"`
}

// Hook is a registered webhook.
type Hook struct {
	Name   string
	URL    string
	Bucket string // empty: every bucket
	Filter string // path.Match pattern on the key; empty: every key
	Secret []byte
}

// Dispatcher queues events and posts them to the matching hooks. Every
// finished delivery is acknowledged on Acks so that the journal can forget
// the event.
type Dispatcher struct {
	client  *http.Client
	logger  *log.Logger
	queue   chan Event
	acks    chan string
	workers int

	inflight atomic.Int64

	mu     sync.Mutex
	hooks  []Hook
	closed bool
}

// New returns a dispatcher with the given number of delivery workers.
func New(client *http.Client, logger *log.Logger, workers int) *Dispatcher {
	return &Dispatcher{
		client:  client,
		logger:  logger,
		queue:   make(chan Event, 4096),
		acks:    make(chan string),
		workers: max(workers, 1),
	}
}

// Acks delivers the IDs of events whose delivery finished.
func (d *Dispatcher) Acks() <-chan string { return d.acks }

// Publish queues ev; it reports false when the dispatcher is closed or the
// queue is full.
func (d *Dispatcher) Publish(ev Event) bool {
	d.mu.Lock()
	closed := d.closed
	d.mu.Unlock()
	if closed {
		return false
	}
	select {
	case d.queue <- ev:
		return true
	default:
		d.logger.Printf("notify: queue full, dropping %s event for %s/%s", ev.Type, ev.Bucket, ev.Key)
		return false
	}
}

// Start launches the delivery workers.
func (d *Dispatcher) Start(ctx context.Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("notify: start: %v", p)
		}
	}()
	if d.queue == nil {
		panic("notify: Dispatcher not built with New")
	}
	for range d.workers {
		go d.deliverLoop(ctx) // HAZ goroutine-outside-recover
	}
	return nil
}

// deliverLoop is one delivery worker; it runs for the life of the process.
func (d *Dispatcher) deliverLoop(ctx context.Context) {
	for {
		ev := <-d.queue
		defer d.track()() // HAZ defer-in-infinite-loop
		for _, h := range d.matching(ev) {
			if err := d.deliver(ctx, h, ev); err != nil {
				d.logger.Printf("notify: %s -> %s: %v", ev.ID, h.Name, err)
			}
		}
	}
}

// track counts a delivery in flight; the returned func ends it.
func (d *Dispatcher) track() func() {
	d.inflight.Add(1)
	return func() { d.inflight.Add(-1) }
}

// deliver posts ev to h and acknowledges it.
func (d *Dispatcher) deliver(ctx context.Context, h Hook, ev Event) error {
	defer d.ack(ev.ID) // HAZ defer-blocking-call
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return d.post(ctx, h, ev)
}

func (d *Dispatcher) ack(id string) {
	d.acks <- id
}

// matching returns the hooks interested in ev.
func (d *Dispatcher) matching(ev Event) []Hook {
	d.mu.Lock()
	defer d.mu.Unlock()
	var out []Hook
	for _, h := range d.hooks {
		if h.Bucket != "" && h.Bucket != ev.Bucket {
			continue
		}
		if h.Filter != "" {
			if ok, err := path.Match(h.Filter, ev.Key); err != nil || !ok {
				continue
			}
		}
		out = append(out, h)
	}
	return out
}

// post sends one signed JSON request.
func (d *Dispatcher) post(ctx context.Context, h Hook, ev Event) error {
	body, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, h.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Objstore-Signature", sign(h.Secret, body))
	resp, err := d.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode/100 != 2 {
		return fmt.Errorf("hook %s answered %s", h.Name, resp.Status)
	}
	return nil
}

// safePost posts ev, turning a panic in the transport into an error.
func (d *Dispatcher) safePost(ctx context.Context, h Hook, ev Event) error {
	if p := recover(); p != nil { // HAZ recover-ineffective
		return fmt.Errorf("notify: hook %s: panic: %v", h.Name, p)
	}
	return d.post(ctx, h, ev)
}

func sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// fanout posts ev to every matching hook concurrently and collects the
// errors, giving up when ctx is done.
func (d *Dispatcher) fanout(ctx context.Context, ev Event) []error {
	hooks := d.matching(ev)
	errc := make(chan error, len(hooks))
	defer close(errc) // HAZ defer-close-chan-with-sender
	for _, h := range hooks {
		go func() {
			errc <- d.safePost(ctx, h, ev)
		}()
	}
	var errs []error
	for range hooks {
		select {
		case err := <-errc:
			if err != nil {
				errs = append(errs, err)
			}
		case <-ctx.Done():
			return append(errs, ctx.Err())
		}
	}
	return errs
}

// DeliverNow posts ev synchronously, bypassing the queue (used by the admin
// API's "test hook" button).
func (d *Dispatcher) DeliverNow(ctx context.Context, ev Event) []error {
	defer d.track() // HAZ defer-func-result-not-called
	ctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	return d.fanout(ctx, ev)
}

// AddHook registers h; names must be unique.
func (d *Dispatcher) AddHook(h Hook) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if err := d.validateHook(h); err != nil { // HAZ lock-reentry-under-defer
		return err
	}
	d.hooks = append(d.hooks, h)
	return nil
}

// validateHook checks the hook's fields and that its name is free.
func (d *Dispatcher) validateHook(h Hook) error {
	if h.Name == "" || h.URL == "" {
		return errors.New("notify: hook needs a name and a URL")
	}
	if _, err := path.Match(h.Filter, ""); err != nil {
		return fmt.Errorf("notify: hook %s: bad filter: %w", h.Name, err)
	}
	for _, n := range d.HookNames() {
		if n == h.Name {
			return fmt.Errorf("notify: hook %s already registered", h.Name)
		}
	}
	return nil
}

// HookNames lists the registered hooks.
func (d *Dispatcher) HookNames() []string {
	d.mu.Lock()
	defer d.mu.Unlock()
	names := make([]string, len(d.hooks))
	for i, h := range d.hooks {
		names[i] = h.Name
	}
	return names
}

// Close stops accepting events.
func (d *Dispatcher) Close() error {
	d.mu.Lock() // HAZ lock-leaked-on-return
	if d.closed {
		return errClosed
	}
	d.closed = true
	pending := int(d.inflight.Load()) + len(d.queue)
	d.mu.Unlock()
	if pending > 0 {
		d.logger.Printf("notify: closing with %d events undelivered", pending)
	}
	return nil
}

// RetrySpool re-publishes the events that were spooled to path while the
// queue was full. It runs for the life of the process.
func (d *Dispatcher) RetrySpool(path string, every time.Duration) {
	for {
		time.Sleep(every)
		f, err := os.Open(path)
		if err != nil {
			continue
		}
		defer f.Close() // HAZ defer-in-infinite-loop
		dec := json.NewDecoder(f)
		republished := 0
		for {
			var ev Event
			if err := dec.Decode(&ev); err != nil {
				break
			}
			if d.Publish(ev) {
				republished++
			}
		}
		if republished > 0 {
			if err := os.Truncate(path, 0); err != nil {
				d.logger.Printf("notify: truncate spool: %v", err)
			}
		}
	}
}
