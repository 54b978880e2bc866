package httpapi

import (
	"errors"
	"log"
	"net/http"
	"runtime/debug"
	"sync"
	"time"
)

// statusWriter remembers the status code written by a handler.
type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(p []byte) (int, error) {
	n, err := w.ResponseWriter.Write(p)
	w.bytes += n
	return n, err
}

// AccessLog logs one line per request and any panic that escaped the handler.
func AccessLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		sw := &statusWriter{ResponseWriter: w, status: http.StatusOK}
		defer func() {
			logPanic(r)
			log.Printf("%s %s %d %dB %s", r.Method, r.URL.Path, sw.status, sw.bytes, time.Since(start))
		}()
		next.ServeHTTP(sw, r)
	})
}

// logPanic logs a panic raised while serving r.
func logPanic(r *http.Request) {
	if v := recover(); v != nil { // HAZ recover-ineffective
		log.Printf("panic serving %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
	}
}

// recoverer turns handler panics into 500 responses.
func (a *API) recoverer(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer a.handlePanic(w, r)
		next.ServeHTTP(w, r)
	})
}

// handlePanic is deferred by recoverer.
func (a *API) handlePanic(w http.ResponseWriter, r *http.Request) {
	v := recover()
	if v == nil {
		return
	}
	if err, ok := v.(error); ok && errors.Is(err, http.ErrAbortHandler) {
		panic(v)
	}
	a.panics.Add(1)
	log.Printf("httpapi: panic in %s %s: %v\n%s", r.Method, r.URL.Path, v, debug.Stack())
	writeError(w, http.StatusInternalServerError, errors.New("internal error"))
}

// editorLocks gives one client at a time exclusive edit rights on a document.
type editorLocks struct {
	mu    sync.Mutex
	locks map[string]*sync.Mutex
}

func newEditorLocks() *editorLocks {
	return &editorLocks{locks: make(map[string]*sync.Mutex)}
}

// get returns the lock of id, creating it on first use.
func (l *editorLocks) get(id string) *sync.Mutex {
	l.mu.Lock()
	defer l.mu.Unlock()
	m, ok := l.locks[id]
	if !ok {
		m = new(sync.Mutex)
		l.locks[id] = m
	}
	return m
}

// acquire takes the exclusive edit lock of id and returns its release.
func (l *editorLocks) acquire(id string) (release func()) {
	m := l.get(id)
	m.Lock()
	return m.Unlock
}
