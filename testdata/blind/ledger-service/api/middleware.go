package api

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"runtime/debug"
	"time"
)

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(code int) {
	r.status = code
	r.ResponseWriter.WriteHeader(code)
}

// recoverer turns a handler panic into a 500 and keeps the server alive.
func (s *Server) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if rv := recover(); rv != nil {
				if rv == http.ErrAbortHandler {
					panic(rv)
				}
				s.log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rv, debug.Stack())
				writeError(w, http.StatusInternalServerError, errors.New("internal error"))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// logRequests logs method, path, status and latency.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			s.log.Printf("%s %s %d %s", r.Method, r.URL.Path, rec.status, time.Since(start)) // ok: evaluated at exit
		}()
		next.ServeHTTP(rec, r)
	})
}

// recoverJSON is deferred directly by handlers that want a JSON 500.
func (s *Server) recoverJSON(w http.ResponseWriter) {
	if rv := recover(); rv != nil {
		s.log.Printf("panic: %v\n%s", rv, debug.Stack())
		writeError(w, http.StatusInternalServerError, errors.New("internal error"))
	}
}

// logPanic is deferred directly by background goroutines.
func (s *Server) logPanic(where string) {
	if rv := recover(); rv != nil {
		s.log.Printf("panic in %s: %v\n%s", where, rv, debug.Stack())
	}
}

func decodeJSON(r *http.Request, v any) error {
	defer r.Body.Close() // ok: plain Close
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("bad request body: %w", err)
	}
	return nil
}

func writeRaw(w http.ResponseWriter, status int, body []byte) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	writeRaw(w, status, append(body, '\n'))
}

func writeError(w http.ResponseWriter, status int, err error) {
	writeJSON(w, status, map[string]string{"error": err.Error()})
}
