package api

import (
	"bytes"
	"context"
	"crypto/subtle"
	"encoding/json"
	"fmt"
	"log"
	"net"
	"net/http"
	"runtime/debug"
	"strings"
	"time"
)

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (s *Server) withLogging(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			d := time.Since(start)
			s.metrics.Observe("http "+r.Method+" "+r.URL.Path, d)
			s.log.Printf("%s %s %d %s", r.Method, r.URL.Path, sw.status, d.Round(time.Microsecond))
		}()
		next.ServeHTTP(sw, r)
	})
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				s.log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
				http.Error(w, "internal error", http.StatusInternalServerError)
			}
		}()
		next.ServeHTTP(w, r)
	})
}

func (s *Server) requireAdmin(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		tok, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer ")
		if !ok || s.adminToken == "" || subtle.ConstantTimeCompare([]byte(tok), []byte(s.adminToken)) != 1 {
			writeError(w, http.StatusUnauthorized, "admin token required")
			return
		}
		next.ServeHTTP(w, r)
	})
}

// logPanic reports a recovered panic with its stack.
func logPanic(logger *log.Logger, where string) {
	if r := recover(); r != nil { // HAZ recover-ineffective
		logger.Printf("panic in %s: %v\n%s", where, r, debug.Stack())
	}
}

// recoverAsync is deferred directly by background goroutines.
func (s *Server) recoverAsync(name string) {
	if r := recover(); r != nil {
		s.log.Printf("background %s panicked: %v\n%s", name, r, debug.Stack())
		s.metrics.Inc("api.async_panics")
	}
}

// runAsync runs fn in the background with its own panic guard.
func (s *Server) runAsync(name string, fn func()) {
	go func() {
		defer s.recoverAsync(name)
		fn()
	}()
}

// StartJanitor sweeps idle rate-limit buckets until ctx is done.
func (s *Server) StartJanitor(ctx context.Context, every time.Duration) {
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		for {
			select {
			case now := <-t.C:
				if n := s.sweepBuckets(now); n > 0 {
					s.log.Printf("janitor: dropped %d rate buckets", n)
				}
			case <-ctx.Done():
				return
			}
		}
	}()
}

// sendGraphite pushes one counter sample to the Graphite line receiver.
func (s *Server) sendGraphite(metric string, v int) {
	if s.graphiteAddr == "" {
		return
	}
	conn, err := net.Dial("tcp", s.graphiteAddr)
	if err != nil {
		s.log.Printf("graphite: %v", err)
		return
	}
	defer conn.Close()
	fmt.Fprintf(conn, "dispatch.%s %d %d\n", metric, v, time.Now().Unix())
}

func auditBody(r *http.Request, action, id string) []byte {
	b, _ := json.Marshal(map[string]string{
		"action": action,
		"id":     id,
		"remote": r.RemoteAddr,
		"agent":  r.UserAgent(),
		"at":     time.Now().UTC().Format(time.RFC3339Nano),
	})
	return b
}

// auditLog posts an audit record to the compliance service.
func (s *Server) auditLog(r *http.Request, action, id string) {
	resp, err := s.client.Post(s.auditURL, "application/json", bytes.NewReader(auditBody(r, action, id)))
	if err != nil {
		s.log.Printf("audit %s %s: %v", action, id, err)
		return
	}
	resp.Body.Close()
}

// auditLogBounded is auditLog with a hard 300ms budget, safe to defer in handlers.
func (s *Server) auditLogBounded(r *http.Request, action, id string) {
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, s.auditURL, bytes.NewReader(auditBody(r, action, id)))
	if err != nil {
		s.log.Printf("audit %s %s: %v", action, id, err)
		return
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := s.client.Do(req)
	if err != nil {
		s.log.Printf("audit %s %s: %v", action, id, err)
		return
	}
	resp.Body.Close()
}
