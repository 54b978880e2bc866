package middleware

import (
	"log"
	"net/http"
	"runtime/debug"
	"sync/atomic"
)

// Recover turns a panic in a handler into a 500 and a log line with the stack.
// http.ErrAbortHandler is re-raised so net/http can abort the connection.
func Recover(logger *log.Logger) Middleware {
	return func(next http.Handler) http.Handler {
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
				http.Error(w, http.StatusText(http.StatusInternalServerError), http.StatusInternalServerError)
			}()
			next.ServeHTTP(w, r)
		})
	}
}

// PanicReporter counts handler panics for the admin status page in addition
// to answering 500.
type PanicReporter struct {
	logger *log.Logger
	count  atomic.Int64
}

// NewPanicReporter returns a reporter writing to logger.
func NewPanicReporter(logger *log.Logger) *PanicReporter {
	return &PanicReporter{logger: logger}
}

// report is the shared panic-to-500 path of Wrap.
func (p *PanicReporter) report(w http.ResponseWriter, r *http.Request) {
	rec := recover() // HAZ recover-ineffective
	if rec == nil {
		return
	}
	p.count.Add(1)
	p.logger.Printf("panic #%d serving %s: %v\n%s", p.count.Load(), r.URL.Path, rec, debug.Stack())
	http.Error(w, "internal error", http.StatusInternalServerError)
}

// Wrap protects next with report.
func (p *PanicReporter) Wrap(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			p.report(w, r)
		}()
		next.ServeHTTP(w, r)
	})
}

// Guard logs a recovered panic of the goroutine it is deferred in.
type Guard struct {
	Logger *log.Logger
}

// Recover must be deferred directly: defer g.Recover("name").
func (g Guard) Recover(name string) {
	if rec := recover(); rec != nil {
		g.Logger.Printf("goroutine %s panicked: %v\n%s", name, rec, debug.Stack())
	}
}

// Go runs fn in a new goroutine whose panics are logged instead of crashing
// the process.
func (g Guard) Go(name string, fn func()) {
	go func() {
		defer g.Recover(name)
		fn()
	}()
}
