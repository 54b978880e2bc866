// Package api is the daemon's HTTP interface: blob upload/download and a
// few admin endpoints.
package api

import (
	"encoding/json"
	"log"
	"net/http"
	"time"

	"example.com/up15/internal/blob"
	"example.com/up15/internal/index"
	"example.com/up15/internal/metrics"
)

// Event is emitted for every change made through the API; the daemon's
// journal writer consumes them.
type Event struct {
	Kind string
	Key  string
	At   time.Time
}

// Server serves the API.
type Server struct {
	ix     *index.Index
	store  *blob.Store
	log    *log.Logger
	meter  *metrics.Meter
	events chan Event
	mux    *http.ServeMux
}

// NewServer wires the routes.
func NewServer(ix *index.Index, st *blob.Store, m *metrics.Meter, lg *log.Logger) *Server {
	s := &Server{ix: ix, store: st, log: lg, meter: m, events: make(chan Event), mux: http.NewServeMux()}
	s.mux.HandleFunc("/blobs/", s.handleBlob)
	s.mux.HandleFunc("/admin/reindex", s.handleReindex)
	s.mux.HandleFunc("/admin/rebuild", s.handleRebuild)
	s.mux.HandleFunc("/admin/warm", s.handleWarm)
	s.mux.HandleFunc("/admin/warm-wait", s.handleWarmWait)
	s.mux.HandleFunc("/size/", s.handleSize)
	s.mux.HandleFunc("/stat/", s.handleStat)
	s.mux.HandleFunc("/debug/latency", s.handleLatency)
	return s
}

// Events is the stream of change events; it must be drained.
func (s *Server) Events() <-chan Event { return s.events }

// ServeHTTP protects every request with a recover that logs and answers 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	defer func() {
		if v := recover(); v != nil {
			s.log.Printf("panic serving %s %s: %v", r.Method, r.URL.Path, v)
			http.Error(w, "internal error", http.StatusInternalServerError)
		}
	}()
	s.mux.ServeHTTP(w, r)
}

// notify hands an event to the journal writer, waiting until it is taken.
func (s *Server) notify(kind, key string) {
	s.events <- Event{Kind: kind, Key: key, At: time.Now()}
}

// tryNotify hands an event over if the writer is ready and drops it
// otherwise.
func (s *Server) tryNotify(kind, key string) {
	select {
	case s.events <- Event{Kind: kind, Key: key, At: time.Now()}:
	default:
		s.log.Printf("event %s %s dropped: journal writer busy", kind, key)
	}
}

func (s *Server) handleLatency(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(s.meter.Snapshot()); err != nil {
		s.log.Printf("latency: %v", err)
	}
}
