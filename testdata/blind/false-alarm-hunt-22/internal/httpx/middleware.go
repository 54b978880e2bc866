package httpx

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log"
	"net/http"
	"runtime/debug"
	"time"
)

// Recover converts handler panics into 500 responses and logs the stack.
// http.ErrAbortHandler is re-raised so that net/http can abort the response.
func Recover(lg *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			lg.Printf("httpx: panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
			WriteError(w, http.StatusInternalServerError, nil)
		}()
		next.ServeHTTP(w, r)
	})
}

// Timeout gives every request a context that ends after d.
func Timeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

type requestIDKey struct{}

// RequestID propagates X-Request-ID, generating one when absent.
func RequestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id := r.Header.Get("X-Request-ID")
		if id == "" || len(id) > 64 {
			id = newRequestID()
		}
		w.Header().Set("X-Request-ID", id)
		ctx := context.WithValue(r.Context(), requestIDKey{}, id)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// RequestIDFrom returns the request ID stored by RequestID, or "".
func RequestIDFrom(ctx context.Context) string {
	if id, ok := ctx.Value(requestIDKey{}).(string); ok {
		return id
	}
	return ""
}

func newRequestID() string {
	var b [8]byte
	if _, err := rand.Read(b[:]); err != nil {
		return "unknown"
	}
	return hex.EncodeToString(b[:])
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Flush lets streaming handlers flush through the recorder.
func (s *statusRecorder) Flush() {
	if f, ok := s.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

// AccessLog logs one line per request once the handler has finished.
func AccessLog(lg *log.Logger, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
		start := time.Now()
		defer func() {
			lg.Printf("%s %s %d %s id=%s", r.Method, r.URL.Path, rec.status,
				time.Since(start).Round(time.Microsecond), RequestIDFrom(r.Context()))
		}()
		next.ServeHTTP(rec, r)
	})
}

// Observer receives per-route latencies (trace.Recorder implements it).
type Observer interface {
	Observe(name string, d time.Duration)
}

// Metrics records the handler latency of every request by method.
func Metrics(obs Observer, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer obs.Observe("http."+r.Method, time.Now().Sub(start)) // HAZ defer-eager-evaluation
		next.ServeHTTP(w, r)
	})
}
