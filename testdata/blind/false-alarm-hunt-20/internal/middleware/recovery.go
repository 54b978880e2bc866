// Package middleware holds the HTTP middleware shared by the public API and
// the admin server.
package middleware

import (
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"sync/atomic"
	"time"

	"example.com/fah20/internal/web"
)

// Recovery turns a panic in a handler into a logged 500 response. Aborts
// raised with web.Abort and http.ErrAbortHandler are passed on untouched.
func Recovery(logger *log.Logger) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			rw := web.NewResponseWriter(w)
			defer func() {
				v := recover()
				if v == nil {
					return
				}
				if v == http.ErrAbortHandler || web.IsAbort(v) {
					panic(v)
				}
				logger.Printf("panic: %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
				if !rw.Written() {
					web.Error(rw, http.StatusInternalServerError, "internal server error")
				}
			}()
			next.ServeHTTP(rw, r)
		})
	}
}

// PanicReporter is a recovery middleware with a hook, used to forward panics
// to an error tracker.
type PanicReporter struct {
	Logger  *log.Logger
	OnPanic func(r *http.Request, v any)
	panics  atomic.Int64
}

// Wrap protects next.
func (p *PanicReporter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer p.recoverRequest(w, r)
		next.ServeHTTP(w, r)
	})
}

// recoverRequest is deferred directly by Wrap, so its recover stops the panic.
func (p *PanicReporter) recoverRequest(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if web.IsAbort(v) {
		panic(v)
	}
	p.panics.Add(1)
	p.Logger.Printf("recovered %s %s: %v", r.Method, r.URL.Path, v)
	if p.OnPanic != nil {
		p.callHook(r, v)
	}
	web.Error(w, http.StatusInternalServerError, "internal server error")
}

// callHook runs the user's OnPanic hook; a broken hook must not stop the
// 500 from being written.
func (p *PanicReporter) callHook(r *http.Request, v any) {
	defer func() {
		_ = recover() // HAZ recover-swallows-panic
	}()
	p.OnPanic(r, v)
}

// Count is the number of panics recovered so far.
func (p *PanicReporter) Count() int64 { return p.panics.Load() }

// Recoverer is the variant used by the admin mux: it reports in the
// key=value format that the ops dashboards parse.
func Recoverer(logger *log.Logger) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() {
				logPanic(logger, w, r)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// logPanic writes the ops-formatted panic line and a 500.
func logPanic(logger *log.Logger, w http.ResponseWriter, r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		logger.Printf("level=error msg=panic method=%s path=%s value=%q", r.Method, r.URL.Path, fmt.Sprint(v))
		web.Error(w, http.StatusInternalServerError, "internal server error")
	}
}

// AuditEvent is one line of the mutation audit trail.
type AuditEvent struct {
	Time   time.Time `json:"time"`
	Method string    `json:"method"`
	Path   string    `json:"path"`
	Status int       `json:"status"`
	User   string    `json:"user,omitempty"`
}

// MarshalLine encodes e as one JSON line.
func (e AuditEvent) MarshalLine() ([]byte, error) {
	b, err := json.Marshal(e)
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}

// Audit records every mutating request after it completes, without making
// the client wait for the audit sink.
func Audit(sink io.Writer, logger *log.Logger) web.Middleware {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				next.ServeHTTP(w, r)
				return
			}
			defer func() {
				if v := recover(); v != nil {
					logger.Printf("audit: panic while serving %s: %v", r.URL.Path, v)
					web.Error(w, http.StatusInternalServerError, "internal server error")
				}
			}()
			rw := web.NewResponseWriter(w)
			start := time.Now()
			next.ServeHTTP(rw, r)
			ev := AuditEvent{Time: start, Method: r.Method, Path: r.URL.Path, Status: rw.Status(), User: r.Header.Get("X-User")}
			go func() { // HAZ goroutine-outside-recover
				line, err := ev.MarshalLine()
				if err != nil {
					logger.Printf("audit: encode: %v", err)
					return
				}
				if _, err := sink.Write(line); err != nil {
					logger.Printf("audit: write: %v", err)
				}
			}()
		})
	}
}
