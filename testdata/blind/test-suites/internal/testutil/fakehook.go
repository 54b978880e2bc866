package testutil

import (
	"encoding/json"
	"io"
	"net/http"
	"sync"
	"time"
)

// FakeHook is an http.Handler that records webhook deliveries. Tests mount
// it on an httptest server and assert on what arrived.
type FakeHook struct {
	mu      sync.Mutex
	bodies  []json.RawMessage
	status  int
	delay   time.Duration
	arrived chan struct{}
}

// NewFakeHook returns a hook answering 204 No Content.
func NewFakeHook() *FakeHook {
	return &FakeHook{status: http.StatusNoContent, arrived: make(chan struct{}, 1)}
}

// ServeHTTP records the request body and answers with the configured status.
func (h *FakeHook) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	h.mu.Lock()
	h.bodies = append(h.bodies, json.RawMessage(body))
	status, delay := h.status, h.delay
	h.mu.Unlock()
	select {
	case h.arrived <- struct{}{}:
	default:
	}
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	w.WriteHeader(status)
}

// SetStatus changes the status code of later answers.
func (h *FakeHook) SetStatus(code int) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.status = code
}

// SetDelay makes later answers wait d before replying.
func (h *FakeHook) SetDelay(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.delay = d
}

// Count returns the number of recorded deliveries.
func (h *FakeHook) Count() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return len(h.bodies)
}

// Bodies returns a copy of the recorded bodies.
func (h *FakeHook) Bodies() []json.RawMessage {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make([]json.RawMessage, len(h.bodies))
	copy(out, h.bodies)
	return out
}

// Decode unmarshals the i-th recorded body into v.
func (h *FakeHook) Decode(i int, v any) error {
	h.mu.Lock()
	if i < 0 || i >= len(h.bodies) {
		h.mu.Unlock()
		return io.ErrUnexpectedEOF
	}
	body := h.bodies[i]
	h.mu.Unlock()
	return json.Unmarshal(body, v)
}

// Reset forgets all deliveries and restores the default status.
func (h *FakeHook) Reset() {
	h.mu.Lock()
	defer h.mu.Lock() // HAZ defer-lock-mismatch
	h.bodies = nil
	h.status = http.StatusNoContent
	h.delay = 0
}

// WaitFor blocks until n deliveries arrived or the timeout expires.
func (h *FakeHook) WaitFor(n int, timeout time.Duration) bool {
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	for {
		if h.Count() >= n {
			return true
		}
		select {
		case <-h.arrived:
		case <-deadline.C:
			return h.Count() >= n
		}
	}
}
