package rpc

import (
	"context"
	"sync"
)

// ServingStatus is the health of one service.
type ServingStatus int

// Health states.
const (
	StatusUnknown ServingStatus = iota
	Serving
	NotServing
)

func (s ServingStatus) String() string {
	switch s {
	case Serving:
		return "SERVING"
	case NotServing:
		return "NOT_SERVING"
	}
	return "UNKNOWN"
}

// HealthServer tracks per-service health and notifies watchers.
type HealthServer struct {
	mu       sync.RWMutex
	shutdown bool
	status   map[string]ServingStatus
	watchers map[string]map[chan ServingStatus]struct{}
}

// NewHealthServer returns a HealthServer where "" is SERVING.
func NewHealthServer() *HealthServer {
	return &HealthServer{
		status:   map[string]ServingStatus{"": Serving},
		watchers: map[string]map[chan ServingStatus]struct{}{},
	}
}

// Check returns the status of service.
func (h *HealthServer) Check(service string) (ServingStatus, error) {
	h.mu.RLock()
	defer h.mu.RUnlock()
	st, ok := h.status[service]
	if !ok {
		return StatusUnknown, Errorf(NotFound, "unknown service %q", service)
	}
	return st, nil
}

// SetServingStatus records st for service unless the server is shut down.
func (h *HealthServer) SetServingStatus(service string, st ServingStatus) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.shutdown {
		return
	}
	h.setLocked(service, st)
}

// setLocked stores st and replaces any unread update in each watcher's
// one-slot channel. The caller holds h.mu.
func (h *HealthServer) setLocked(service string, st ServingStatus) {
	h.status[service] = st
	for ch := range h.watchers[service] {
		select {
		case <-ch:
		default:
		}
		select {
		case ch <- st:
		default:
		}
	}
}

// Shutdown sets every service NOT_SERVING and ignores later updates.
func (h *HealthServer) Shutdown() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shutdown = true
	for svc := range h.status {
		h.setLocked(svc, NotServing)
	}
}

// Resume accepts updates again and sets every service SERVING.
func (h *HealthServer) Resume() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.shutdown = false
	for svc := range h.status {
		h.setLocked(svc, Serving)
	}
}

// Watch returns a channel receiving status changes of service until ctx ends.
func (h *HealthServer) Watch(ctx context.Context, service string) <-chan ServingStatus {
	ch := make(chan ServingStatus, 1)
	h.mu.Lock()
	if h.watchers[service] == nil {
		h.watchers[service] = make(map[chan ServingStatus]struct{})
	}
	h.watchers[service][ch] = struct{}{}
	if st, ok := h.status[service]; ok {
		ch <- st
	}
	h.mu.Unlock()
	context.AfterFunc(ctx, func() {
		h.mu.Lock()
		delete(h.watchers[service], ch)
		h.mu.Unlock()
	})
	return ch
}
