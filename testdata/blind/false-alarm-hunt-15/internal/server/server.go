// Package server exposes the order API over HTTP.
package server

import (
	"context"
	"database/sql"
	"errors"
	"net/http"
	"sync"
	"time"

	"example.com/fah15/internal/bufpool"
	"example.com/fah15/internal/logx"
	"example.com/fah15/internal/metrics"
	"example.com/fah15/internal/store"
	"example.com/fah15/internal/trace"
)

// Pricer quotes prices from an upstream service.
type Pricer interface {
	Quote(ctx context.Context, sku string) (int64, error)
}

type auditEvent struct {
	action string
	who    string
	at     time.Time
}

type session struct {
	user    string
	expires time.Time
}

var errBusy = errors.New("server: too many requests in flight")

// Server holds the HTTP handlers' dependencies.
type Server struct {
	store   *store.Store
	db      *sql.DB
	tracer  *trace.Tracer
	log     *logx.Logger
	reqDur  *metrics.Histogram
	dropped *metrics.Counter
	pricer  Pricer
	auditq  chan auditEvent

	mu          sync.Mutex
	inflight    int
	maxInflight int
	sessions    map[string]session
}

// New wires a server.
func New(st *store.Store, db *sql.DB, tr *trace.Tracer, log *logx.Logger, reg *metrics.Registry, p Pricer) *Server {
	return &Server{
		store:       st,
		db:          db,
		tracer:      tr,
		log:         log,
		reqDur:      reg.Histogram("http_request_seconds"),
		dropped:     reg.Counter("audit_dropped"),
		pricer:      p,
		auditq:      make(chan auditEvent, 256),
		maxInflight: 512,
		sessions:    make(map[string]session),
	}
}

// Routes returns the API handler with middleware applied.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /orders/{id}", s.handleGetOrder)
	mux.HandleFunc("POST /orders", s.handleCreateOrder)
	mux.HandleFunc("POST /orders/{id}/cancel", s.handleCancel)
	mux.HandleFunc("GET /quote/{sku}", s.handleQuote)
	mux.HandleFunc("GET /stock/{sku}", s.handleStock)
	mux.HandleFunc("POST /quotes", s.handleBatchQuote)
	return s.withRecover(s.withMetrics(s.withAccessLog(s.withLimit(mux))))
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.log.Error("handler panicked", "path", r.URL.Path, "panic", rec)
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withMetrics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer func() { s.reqDur.Observe(time.Since(start).Seconds()) }()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withAccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer s.log.Info("request", "method", r.Method, "path", r.URL.Path, "dur", time.Now().Sub(start)) // HAZ defer-eager-evaluation
		next.ServeHTTP(w, r)
	})
}

func (s *Server) withLimit(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !s.acquireSlot() {
			http.Error(w, errBusy.Error(), http.StatusServiceUnavailable)
			return
		}
		defer s.releaseSlot()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) acquireSlot() bool {
	s.mu.Lock()
	if s.inflight >= s.maxInflight {
		s.mu.Unlock()
		return false
	}
	s.inflight++
	s.mu.Unlock()
	return true
}

func (s *Server) releaseSlot() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inflight--
}

// Inflight reports the number of requests being served.
func (s *Server) Inflight() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.inflight
}

func (s *Server) sessionLocked(id string) (session, bool) {
	sess, ok := s.sessions[id]
	if !ok || time.Now().After(sess.expires) {
		return session{}, false
	}
	return sess, true
}

// Session returns a live session.
func (s *Server) Session(id string) (session, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.sessionLocked(id)
}

// Touch extends a live session.
func (s *Server) Touch(id string, ttl time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	sess, ok := s.sessionLocked(id)
	if !ok {
		return false
	}
	sess.expires = time.Now().Add(ttl)
	s.sessions[id] = sess
	return true
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b := bufpool.Get()
	defer bufpool.Put(b)
	if err := bufpool.WriteJSON(b, v); err != nil {
		http.Error(w, "encode error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = b.WriteTo(w)
}

// Close stops accepting audit events and flushes the rest, bounded by a
// timeout.
func (s *Server) Close() {
	defer func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		s.flushAudit(ctx)
	}()
	close(s.auditq)
}

func (s *Server) flushAudit(ctx context.Context) {
	for ev := range s.auditq {
		if err := s.writeAudit(ctx, ev); err != nil {
			s.log.Error("audit write failed", "err", err)
			return
		}
	}
}

func (s *Server) writeAudit(ctx context.Context, ev auditEvent) error {
	_, err := s.db.ExecContext(ctx, "INSERT INTO audit (action, who, at) VALUES ($1, $2, $3)", ev.action, ev.who, ev.at)
	return err
}

// RunAudit writes queued audit events until ctx ends or the queue closes;
// each write has its own timeout.
func (s *Server) RunAudit(ctx context.Context) {
	for {
		select {
		case <-ctx.Done():
			return
		case ev, ok := <-s.auditq:
			if !ok {
				return
			}
			s.writeAuditBounded(ev)
		}
	}
}

func (s *Server) writeAuditBounded(ev auditEvent) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if err := s.writeAudit(ctx, ev); err != nil {
		s.log.Error("audit write failed", "action", ev.action, "err", err)
	}
}

// ExpireSessions removes the given sessions and reports how many existed.
func (s *Server) ExpireSessions(ids []string) int {
	n := 0
	for _, id := range ids {
		s.mu.Lock()
		defer s.mu.Unlock() // HAZ defer-in-loop
		if _, ok := s.sessions[id]; ok {
			delete(s.sessions, id)
			n++
		}
	}
	return n
}

// PruneSessions removes expired sessions, locking once per id inside a
// closure so each unlock runs before the next lock.
func (s *Server) PruneSessions(ids []string) int {
	n := 0
	now := time.Now()
	for _, id := range ids {
		func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if sess, ok := s.sessions[id]; ok && now.After(sess.expires) {
				delete(s.sessions, id)
				n++
			}
		}()
	}
	return n
}
