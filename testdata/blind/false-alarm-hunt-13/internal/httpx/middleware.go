// Package httpx holds the client-facing HTTP API and its middleware.
package httpx

import (
	"context"
	"encoding/json"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"sync"
	"time"

	"example.com/fah13/internal/trace"
)

// Recoverer turns handler panics into 500 responses. http.ErrAbortHandler is
// re-raised so net/http aborts the response quietly, as it documents. If
// notify is non-nil it is called asynchronously with the panic value; the
// notifier goroutine guards itself so a broken notifier cannot crash the
// process.
func Recoverer(logger *log.Logger, notify func(any), next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			rec := recover()
			if rec == nil {
				return
			}
			if rec == http.ErrAbortHandler {
				panic(rec)
			}
			logger.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, rec, debug.Stack())
			if notify != nil {
				go func() {
					defer func() {
						if nerr := recover(); nerr != nil {
							logger.Printf("panic notifier failed: %v", nerr)
						}
					}()
					notify(rec)
				}()
			}
			http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
		}()
		next.ServeHTTP(w, r)
	})
}

// WithTimeout bounds every request's context by d.
func WithTimeout(d time.Duration, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), d)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// Timing records request latency per method. The start time is taken before
// the handler runs and handed to the deferred call as a value.
func Timing(rec *trace.Recorder, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		defer rec.ObserveSince("http."+r.Method, start)
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(p)
	w.bytes += n
	return n, err
}

// AuditEntry is one line of the access audit log.
type AuditEntry struct {
	Method   string        `json:"method"`
	Path     string        `json:"path"`
	Status   int           `json:"status"`
	Bytes    int           `json:"bytes"`
	Duration time.Duration `json:"duration_ns"`
	Remote   string        `json:"remote"`
}

// Auditor writes access audit entries as JSON lines.
type Auditor struct {
	mu     sync.Mutex
	enc    *json.Encoder
	logger *log.Logger
}

// NewAuditor returns an auditor writing to sink.
func NewAuditor(sink io.Writer, logger *log.Logger) *Auditor {
	return &Auditor{enc: json.NewEncoder(sink), logger: logger}
}

// ship writes one entry to the sink.
func (a *Auditor) ship(e AuditEntry) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if err := a.enc.Encode(e); err != nil {
		a.logger.Printf("audit: %v", err)
	}
}

// Middleware audits every request and turns handler panics into 500s. The
// audit write happens off the request path.
func (a *Auditor) Middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		defer func() {
			if rec := recover(); rec != nil {
				if rec == http.ErrAbortHandler {
					panic(rec)
				}
				a.logger.Printf("panic serving %s: %v", r.URL.Path, rec)
				if sw.status == 0 {
					http.Error(sw, "internal error", http.StatusInternalServerError)
				}
			}
		}()
		next.ServeHTTP(sw, r)
		e := AuditEntry{
			Method:   r.Method,
			Path:     r.URL.Path,
			Status:   sw.status,
			Bytes:    sw.bytes,
			Duration: time.Since(start),
			Remote:   r.RemoteAddr,
		}
		go a.ship(e) // HAZ goroutine-outside-recover
	})
}
