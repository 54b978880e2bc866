// Package status serves the HTTP status and admin pages of a node.
package status

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/ioutil"
	"net/http"
	"strings"
	"sync"
	"time"

	"example.com/legacystyle/internal/logx"
	"example.com/legacystyle/internal/store"
)

// Server holds the handlers' state.
type Server struct {
	st      *store.Store
	lg      *logx.Logger
	client  *http.Client
	started time.Time
	audit   chan string

	mu   sync.Mutex
	hits map[string]int
}

// NewServer returns a Server; the audit channel is unbuffered and drained by
// AuditLoop.
func NewServer(st *store.Store, lg *logx.Logger) *Server {
	return &Server{
		st:      st,
		lg:      lg,
		client:  &http.Client{Timeout: 5 * time.Second},
		started: time.Now(),
		audit:   make(chan string),
		hits:    make(map[string]int),
	}
}

// Routes returns the handler tree.
func (s *Server) Routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/healthz", s.handleHealth)
	mux.HandleFunc("/get", withLogging(s.lg, s.handleGet))
	mux.HandleFunc("/set", withLogging(s.lg, s.handleSet))
	mux.HandleFunc("/stats", s.handleStats)
	mux.HandleFunc("/probe", s.handleProbe)
	mux.HandleFunc("/probe2", s.handleProbeBuffered)
	mux.HandleFunc("/dump", s.handleDump)
	return mux
}

// hit counts a request to path.
func (s *Server) hit(path string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.hits[path]++
}

// Hits returns a copy of the request counters.
func (s *Server) Hits() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.hits))
	for k, v := range s.hits {
		out[k] = v
	}
	return out
}

// recordAudit hands an audit line to AuditLoop.
func (s *Server) recordAudit(line string) {
	s.audit <- time.Now().UTC().Format(time.RFC3339) + " " + line
}

// tryAudit hands an audit line to AuditLoop unless it is busy.
func (s *Server) tryAudit(line string) bool {
	select {
	case s.audit <- time.Now().UTC().Format(time.RFC3339) + " " + line:
		return true
	default:
		return false
	}
}

// AuditLoop writes audit lines to w until stop is closed.
func (s *Server) AuditLoop(w io.Writer, stop <-chan struct{}) {
	for {
		select {
		case line := <-s.audit:
			fmt.Fprintln(w, line)
		case <-stop:
			return
		}
	}
}

// handleHealth answers liveness probes.
func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	s.hit("/healthz")
	fmt.Fprintf(w, "ok %v\n", time.Since(s.started).Round(time.Second))
}

// handleGet returns the value of ?key=.
func (s *Server) handleGet(w http.ResponseWriter, r *http.Request) {
	key := r.URL.Query().Get("key")
	defer s.recordAudit("GET " + key) // HAZ defer-blocking-call
	s.hit("/get")
	v, ok := s.st.Get(key)
	if !ok {
		http.NotFound(w, r)
		return
	}
	w.Write(v)
}

// handleSet stores the request body under ?key=.
func (s *Server) handleSet(w http.ResponseWriter, r *http.Request) {
	defer r.Body.Close()
	defer s.tryAudit("SET " + r.URL.Query().Get("key"))
	s.hit("/set")
	key := r.URL.Query().Get("key")
	if key == "" || r.Method != http.MethodPost {
		http.Error(w, "POST /set?key=...", http.StatusBadRequest)
		return
	}
	b, err := ioutil.ReadAll(io.LimitReader(r.Body, 1<<20))
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.st.Set(key, b)
	w.WriteHeader(http.StatusNoContent)
}

// handleStats reports counters as JSON.
func (s *Server) handleStats(w http.ResponseWriter, r *http.Request) {
	s.hit("/stats")
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(map[string]interface{}{
		"keys":   s.st.Len(),
		"hits":   s.Hits(),
		"uptime": time.Since(s.started).String(),
		"stats":  s.st.Stats(),
	})
}

// probe returns the status code of url, or 0.
func (s *Server) probe(url string) int {
	resp, err := s.client.Get(url)
	if err != nil {
		return 0
	}
	defer resp.Body.Close()
	return resp.StatusCode
}

// handleProbe checks ?url= and answers within two seconds.
func (s *Server) handleProbe(w http.ResponseWriter, r *http.Request) {
	url := r.URL.Query().Get("url")
	ch := make(chan int)
	go func() {
		ch <- s.probe(url) // HAZ goroutine-blocked-send
	}()
	select {
	case code := <-ch:
		fmt.Fprintf(w, "%s: %d\n", url, code)
	case <-time.After(2 * time.Second):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
		return
	}
}

// handleProbeBuffered is handleProbe with a one-slot channel.
func (s *Server) handleProbeBuffered(w http.ResponseWriter, r *http.Request) {
	url := r.URL.Query().Get("url")
	ch := make(chan int, 1)
	go func() {
		ch <- s.probe(url)
	}()
	select {
	case code := <-ch:
		fmt.Fprintf(w, "%s: %d\n", url, code)
	case <-time.After(2 * time.Second):
		http.Error(w, "probe timed out", http.StatusGatewayTimeout)
	}
}

// handleDump lists the keys; the audit line is dropped when nobody listens.
func (s *Server) handleDump(w http.ResponseWriter, r *http.Request) {
	defer func() {
		select {
		case s.audit <- "DUMP":
		default:
		}
	}()
	s.hit("/dump")
	w.Header().Set("Content-Type", "text/plain")
	fmt.Fprintln(w, strings.Join(s.st.Keys(), "\n"))
}

// withLogging logs each request with its duration measured at exit.
func withLogging(lg *logx.Logger, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() {
			lg.Infof("%s %s %v", r.Method, r.URL.Path, time.Since(start))
		}()
		h(w, r)
	}
}

// Shutdown stops srv, waiting at most d for open requests.
func Shutdown(srv *http.Server, d time.Duration) error {
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	return srv.Shutdown(ctx)
}

// Uptime returns how long the server has been running.
func (s *Server) Uptime() time.Duration { return time.Since(s.started) }
