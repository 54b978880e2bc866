package audit

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"
)

// Shipper forwards entries to a remote collector.
type Shipper struct {
	client   *http.Client
	endpoint string
}

// NewShipper returns a shipper posting to endpoint.
func NewShipper(endpoint string) *Shipper {
	return &Shipper{client: http.DefaultClient, endpoint: endpoint}
}

func (s *Shipper) ship(e Entry) error {
	body, err := json.Marshal(e)
	if err != nil {
		return err
	}
	resp, err := s.client.Post(s.endpoint, "application/json", bytes.NewReader(body))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode >= 300 {
		return fmt.Errorf("audit: collector answered %s", resp.Status)
	}
	return nil
}

// Handler records every request in the ledger and ships it to the collector.
type Handler struct {
	ledger  *Ledger
	shipper *Shipper
	queue   chan Entry
	dropped atomic.Int64
}

// NewHandler returns a handler with a shipping queue of the given depth.
func NewHandler(l *Ledger, s *Shipper, depth int) *Handler {
	return &Handler{ledger: l, shipper: s, queue: make(chan Entry, depth)}
}

func entryFor(r *http.Request) (Entry, error) {
	amount, err := strconv.ParseInt(r.URL.Query().Get("amount"), 10, 64)
	if err != nil {
		return Entry{}, fmt.Errorf("bad amount: %w", err)
	}
	return Entry{At: time.Now(), Actor: r.Header.Get("X-Actor"), Action: r.Method + " " + r.URL.Path, Amount: amount}, nil
}

// ServeHTTP records the request and ships the entry when the response is done.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e, err := entryFor(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer (*Shipper).ship(h.shipper, e) // HAZ defer-blocking-call
	h.ledger.Add(e)
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "recorded %s\n", e.Action)
}

// Submit records the request and queues the entry for the background
// shipper, dropping it when the queue is full.
func (h *Handler) Submit(w http.ResponseWriter, r *http.Request) {
	e, err := entryFor(r)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	defer h.enqueue(e)
	h.ledger.Add(e)
	w.WriteHeader(http.StatusAccepted)
	fmt.Fprintf(w, "recorded %s\n", e.Action)
}

func (h *Handler) enqueue(e Entry) {
	select {
	case h.queue <- e:
	default:
		h.dropped.Add(1)
	}
}

// RunShipper ships queued entries until ctx ends.
func (h *Handler) RunShipper(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case e := <-h.queue:
			if err := h.shipper.ship(e); err != nil {
				log.Printf("audit: ship: %v (dropped so far: %d)", err, h.dropped.Load())
			}
		}
	}
}

func (h *Handler) checkReady() {
	if h.shipper == nil || h.shipper.endpoint == "" {
		panic("audit: no collector configured")
	}
}

// Start validates the handler and starts workers shipping goroutines. A
// misconfigured handler is reported as an error instead of a crash.
func (h *Handler) Start(ctx context.Context, workers int) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("audit: start: %v", r)
		}
	}()
	h.checkReady()
	run := h.RunShipper
	for range workers {
		go run(ctx) // HAZ goroutine-outside-recover
	}
	return nil
}

// StartChecked validates the handler without recover and then starts the
// shipping goroutines.
func (h *Handler) StartChecked(ctx context.Context, workers int) error {
	if h.shipper == nil || h.shipper.endpoint == "" {
		return fmt.Errorf("audit: no collector configured")
	}
	for range workers {
		go h.RunShipper(ctx)
	}
	return nil
}
