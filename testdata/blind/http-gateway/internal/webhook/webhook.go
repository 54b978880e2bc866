// Package webhook receives signed webhooks from partners at the edge,
// answers them immediately and delivers them to internal consumers in the
// background with retries.
package webhook

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"os"
	"path/filepath"
	"sync"
	"time"

	"example.com/gateway/internal/obs"
)

// Event is one received webhook.
type Event struct {
	ID       string          `json:"id"`
	Partner  string          `json:"partner"`
	Received time.Time       `json:"received"`
	Body     json.RawMessage `json:"body"`
}

// Dispatcher verifies, queues and delivers webhooks.
type Dispatcher struct {
	secrets map[string][]byte // partner -> HMAC secret
	target  string            // internal consumer URL
	client  *http.Client
	queue   chan Event
	spool   string // directory of received events, for replay
	logger  *log.Logger

	mu        sync.Mutex
	delivered map[string]int
	failed    map[string]int
}

// New returns a dispatcher with a queue of depth events.
func New(secrets map[string][]byte, target, spool string, depth int, logger *log.Logger) *Dispatcher {
	return &Dispatcher{
		secrets:   secrets,
		target:    target,
		client:    &http.Client{Timeout: 10 * time.Second},
		queue:     make(chan Event, depth),
		spool:     spool,
		logger:    logger,
		delivered: make(map[string]int),
		failed:    make(map[string]int),
	}
}

func (d *Dispatcher) verify(partner string, body []byte, sig string) bool {
	secret, ok := d.secrets[partner]
	if !ok {
		return false
	}
	want, err := hex.DecodeString(sig)
	if err != nil {
		return false
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hmac.Equal(m.Sum(nil), want)
}

// Receive answers POST /hooks/{partner}: verify, spool and queue the event.
// A full queue answers 503 so the partner retries later.
func (d *Dispatcher) Receive(w http.ResponseWriter, r *http.Request) {
	partner := r.PathValue("partner")
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusRequestEntityTooLarge)
		return
	}
	if !d.verify(partner, body, r.Header.Get("X-Signature")) {
		http.Error(w, "bad signature", http.StatusUnauthorized)
		return
	}
	ev := Event{ID: r.Header.Get("X-Event-ID"), Partner: partner, Received: time.Now().UTC(), Body: body}
	if err := d.spoolEvent(ev); err != nil {
		d.logger.Printf("webhook: spool %s: %v", ev.ID, err)
	}
	select {
	case d.queue <- ev:
		w.WriteHeader(http.StatusAccepted)
	default:
		http.Error(w, "queue full", http.StatusServiceUnavailable)
	}
}

// spoolEvent writes ev to the spool directory with a checked close.
func (d *Dispatcher) spoolEvent(ev Event) (err error) {
	f, err := os.Create(filepath.Join(d.spool, ev.Partner+"-"+ev.ID+".json"))
	if err != nil {
		return err
	}
	defer func() {
		if cerr := f.Close(); cerr != nil && err == nil {
			err = cerr
		}
	}()
	return json.NewEncoder(f).Encode(ev)
}

// deliver posts ev to the consumer, retrying with backoff.
func (d *Dispatcher) deliver(ctx context.Context, ev Event) error {
	var lastErr error
	for attempt := 1; attempt <= 5; attempt++ {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, d.target, bytes.NewReader(ev.Body))
		if err != nil {
			return err
		}
		req.Header.Set("X-Partner", ev.Partner)
		resp, err := d.client.Do(req)
		if err != nil {
			lastErr = err
			time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
			continue
		}
		defer resp.Body.Close() // HAZ defer-in-loop
		if resp.StatusCode < 300 {
			return nil
		}
		lastErr = fmt.Errorf("consumer answered %s", resp.Status)
		time.Sleep(time.Duration(attempt) * 200 * time.Millisecond)
	}
	return lastErr
}

func (d *Dispatcher) count(partner string, ok bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ok {
		d.delivered[partner]++
	} else {
		d.failed[partner]++
	}
}

// Worker delivers queued events one at a time for the life of the process.
func (d *Dispatcher) Worker() {
	for ev := range d.queue {
		_, span := obs.StartSpan(context.Background(), "webhook.deliver")
		defer span.End(nil) // HAZ defer-in-infinite-loop
		err := d.deliver(context.Background(), ev)
		d.count(ev.Partner, err == nil)
		if err != nil {
			d.logger.Printf("webhook: deliver %s/%s: %v", ev.Partner, ev.ID, err)
		}
	}
}

// Run delivers queued events until ctx ends; each delivery gets its own
// span and deadline inside a function literal.
func (d *Dispatcher) Run(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev := <-d.queue:
			func() {
				dctx, span := obs.StartSpan(ctx, "webhook.deliver")
				dctx, cancel := context.WithTimeout(dctx, time.Minute)
				defer cancel()
				err := d.deliver(dctx, ev)
				defer span.End(err)
				d.count(ev.Partner, err == nil)
			}()
		}
	}
}

// total is the number of events handled for partner. Caller holds mu.
func (d *Dispatcher) total(partner string) int {
	return d.delivered[partner] + d.failed[partner]
}

// ServeStats answers GET /hooks/stats.
func (d *Dispatcher) ServeStats(w http.ResponseWriter, r *http.Request) {
	d.mu.Lock()
	defer d.mu.Unlock()
	out := make(map[string]map[string]int, len(d.delivered))
	for partner := range d.secrets {
		out[partner] = map[string]int{
			"delivered": d.delivered[partner],
			"failed":    d.failed[partner],
			"total":     d.total(partner),
		}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(out)
}

// openSpooled opens a spooled event by partner and ID.
func (d *Dispatcher) openSpooled(partner, id string) (io.ReadCloser, error) {
	if filepath.Base(partner) != partner || filepath.Base(id) != id {
		return nil, fmt.Errorf("webhook: invalid event reference")
	}
	return os.Open(filepath.Join(d.spool, partner+"-"+id+".json"))
}

// ServeReplay answers POST /hooks/{partner}/{id}/replay: queue a spooled
// event again.
func (d *Dispatcher) ServeReplay(w http.ResponseWriter, r *http.Request) {
	rc, err := d.openSpooled(r.PathValue("partner"), r.PathValue("id"))
	defer rc.Close() // HAZ defer-before-error-check
	if err != nil {
		http.Error(w, "no such event", http.StatusNotFound)
		return
	}
	var ev Event
	if err := json.NewDecoder(rc).Decode(&ev); err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	select {
	case d.queue <- ev:
		w.WriteHeader(http.StatusAccepted)
	case <-r.Context().Done():
	}
}

// ServeRedeliver answers POST /hooks/redeliver?partner=P&id=A&id=B...:
// deliver several spooled events now, in parallel, and report each result.
func (d *Dispatcher) ServeRedeliver(w http.ResponseWriter, r *http.Request) {
	partner := r.URL.Query().Get("partner")
	ids := r.URL.Query()["id"]
	results := make([]string, len(ids))
	var wg sync.WaitGroup
	for i, id := range ids {
		wg.Add(1)
		go func() {
			rc, err := d.openSpooled(partner, id)
			if err != nil {
				results[i] = "not found"
				return
			}
			var ev Event
			err = json.NewDecoder(rc).Decode(&ev)
			rc.Close()
			if err == nil {
				err = d.deliver(r.Context(), ev)
			}
			results[i] = fmt.Sprint(err)
			wg.Done() // HAZ waitgroup-done-path
		}()
	}
	wg.Wait()
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(results)
}

// stats is a loggable copy of the delivery counters.
type stats struct {
	Delivered, Failed, Queued int
}

func (s stats) log(logger *log.Logger, why string) {
	logger.Printf("webhook: %s: delivered=%d failed=%d queued=%d", why, s.Delivered, s.Failed, s.Queued)
}

func (d *Dispatcher) snapshot() stats {
	d.mu.Lock()
	defer d.mu.Unlock()
	s := stats{Queued: len(d.queue)}
	for _, n := range d.delivered {
		s.Delivered += n
	}
	for _, n := range d.failed {
		s.Failed += n
	}
	return s
}

// ServeDrain answers POST /hooks/drain: deliver everything still queued
// before a deploy, then log the final counters.
func (d *Dispatcher) ServeDrain(w http.ResponseWriter, r *http.Request) {
	defer d.snapshot().log(d.logger, "drained") // HAZ defer-call-chain
	n := 0
	for {
		select {
		case ev := <-d.queue:
			err := d.deliver(r.Context(), ev)
			d.count(ev.Partner, err == nil)
			n++
		default:
			w.Header().Set("Content-Type", "application/json")
			_ = json.NewEncoder(w).Encode(map[string]int{"drained": n})
			return
		}
	}
}
