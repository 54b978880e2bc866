// Package health implements the grpc.health.v1-style health service on the
// RPC layer, a plain /healthz endpoint, and a periodic dependency checker.
package health

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"time"

	"example.com/rpcservices/rpc"
)

// ServingStatus is the health of one service ("" is the whole server).
type ServingStatus int

// Statuses.
const (
	Unknown ServingStatus = iota
	Serving
	NotServing
	ServiceUnknown
)

func (s ServingStatus) String() string {
	switch s {
	case Serving:
		return "SERVING"
	case NotServing:
		return "NOT_SERVING"
	case ServiceUnknown:
		return "SERVICE_UNKNOWN"
	}
	return "UNKNOWN"
}

// CheckRequest names the service to check.
type CheckRequest struct {
	Service string `json:"service"`
}

// CheckResponse carries the status.
type CheckResponse struct {
	Status     ServingStatus `json:"status"`
	StatusText string        `json:"status_text"`
}

// Server holds the statuses and notifies watchers.
type Server struct {
	mu       sync.Mutex
	statuses map[string]ServingStatus
	shutdown bool
	subs     map[string]map[chan ServingStatus]struct{}
	poll     time.Duration
}

// NewServer returns a server whose overall status is SERVING.
func NewServer() *Server {
	return &Server{
		statuses: map[string]ServingStatus{"": Serving},
		subs:     make(map[string]map[chan ServingStatus]struct{}),
		poll:     time.Second,
	}
}

// SetServingStatus records a status; it is ignored after Shutdown.
func (s *Server) SetServingStatus(service string, st ServingStatus) {
	s.mu.Lock()
	if s.shutdown {
		s.mu.Unlock()
		return
	}
	s.statuses[service] = st
	s.notifyLocked(service, st)
	s.mu.Unlock()
}

// Shutdown marks everything NOT_SERVING so that load balancers drain us.
func (s *Server) Shutdown() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdown = true
	for svc := range s.statuses {
		s.statuses[svc] = NotServing
		s.notifyLocked(svc, NotServing)
	}
}

// Resume undoes Shutdown.
func (s *Server) Resume() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdown = false
	for svc := range s.statuses {
		s.statuses[svc] = Serving
		s.notifyLocked(svc, Serving)
	}
}

// Status returns the status of service.
func (s *Server) Status(service string) (ServingStatus, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	st, ok := s.statuses[service]
	return st, ok
}

// notifyLocked must be called with s.mu held. Watchers that are behind
// miss intermediate values; they always get the latest one eventually.
func (s *Server) notifyLocked(service string, st ServingStatus) {
	for ch := range s.subs[service] {
		select {
		case ch <- st:
		default:
		}
	}
}

func (s *Server) subscribe(service string) chan ServingStatus {
	ch := make(chan ServingStatus, 1)
	s.mu.Lock()
	if s.subs[service] == nil {
		s.subs[service] = make(map[chan ServingStatus]struct{})
	}
	s.subs[service][ch] = struct{}{}
	s.mu.Unlock()
	return ch
}

func (s *Server) unsubscribe(service string, ch chan ServingStatus) {
	s.mu.Lock()
	delete(s.subs[service], ch)
	s.mu.Unlock()
}

const serviceName = "grpc.health.v1.Health"

// Register adds Check and Watch to an RPC server.
func (s *Server) Register(rs *rpc.Server) {
	rs.RegisterUnary(serviceName, rpc.UnaryMethod{
		Name:       "Check",
		NewRequest: func() any { return new(CheckRequest) },
		Handler:    s.check,
	})
	rs.RegisterStream(serviceName, rpc.StreamMethod{
		Name:       "Watch",
		NewRequest: func() any { return new(CheckRequest) },
		Handler:    s.watch,
	})
}

func (s *Server) check(_ context.Context, req any) (any, error) {
	r := req.(*CheckRequest)
	st, ok := s.Status(r.Service)
	if !ok {
		return nil, rpc.Errorf(rpc.NotFound, "unknown service %q", r.Service)
	}
	return &CheckResponse{Status: st, StatusText: st.String()}, nil
}

func (s *Server) watch(ctx context.Context, req any, ss *rpc.ServerStream) error {
	r := req.(*CheckRequest)
	ch := s.subscribe(r.Service)
	err := s.streamStatus(ctx, r.Service, ch, ss)
	s.unsubscribe(r.Service, ch)
	return err
}

func (s *Server) streamStatus(ctx context.Context, service string, ch <-chan ServingStatus, ss *rpc.ServerStream) error {
	last := ServingStatus(-1)
	send := func(st ServingStatus) error {
		if st == last {
			return nil
		}
		last = st
		return ss.Send(&CheckResponse{Status: st, StatusText: st.String()})
	}
	st, ok := s.Status(service)
	if !ok {
		st = ServiceUnknown
	}
	if err := send(st); err != nil {
		return err
	}
	for {
		select {
		case <-ctx.Done():
			return nil
		case st := <-ch:
			if err := send(st); err != nil {
				return err
			}
		}
	}
}

// ServeHTTP is the plain /healthz endpoint for load balancers.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	st, ok := s.Status(r.URL.Query().Get("service"))
	if !ok || st != Serving {
		http.Error(w, st.String(), http.StatusServiceUnavailable)
		return
	}
	fmt.Fprintln(w, st)
}

// HandleWatch streams status changes as server-sent events for dashboards.
func (s *Server) HandleWatch(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	updates := make(chan ServingStatus)
	defer close(updates) // HAZ defer-close-chan-with-sender
	go s.pollStatus(r.Context(), r.URL.Query().Get("service"), updates)
	w.Header().Set("Content-Type", "text/event-stream")
	for {
		select {
		case st := <-updates:
			fmt.Fprintf(w, "data: %s\n\n", st)
			fl.Flush()
		case <-r.Context().Done():
			return
		}
	}
}

func (s *Server) pollStatus(ctx context.Context, service string, out chan<- ServingStatus) {
	t := time.NewTicker(s.poll)
	defer t.Stop()
	last := ServingStatus(-1)
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		st, _ := s.Status(service)
		if st == last {
			continue
		}
		last = st
		select {
		case out <- st:
		case <-ctx.Done():
			return
		}
	}
}
