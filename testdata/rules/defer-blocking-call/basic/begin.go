package fixture

import (
	"net/http"
	"sync/atomic"
	"time"
)

type sample struct {
	path string
	dur  time.Duration
}

// inflight's samples are read by an exporter that may not be there.
type inflight struct {
	active  atomic.Int64
	samples chan sample
}

func newInflight() *inflight { return &inflight{samples: make(chan sample)} }

// begin returns what ends the request: a send the exporter must take.
func (t *inflight) begin(path string) func() {
	start := time.Now()
	t.active.Add(1)
	return func() {
		t.active.Add(-1)
		t.samples <- sample{path, time.Since(start)}
	}
}

// beginQuiet never waits: the sample is dropped when nobody takes it.
func (t *inflight) beginQuiet(path string) func() {
	start := time.Now()
	t.active.Add(1)
	return func() {
		t.active.Add(-1)
		select {
		case t.samples <- sample{path, time.Since(start)}:
		default:
		}
	}
}

func (t *inflight) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer t.begin(r.URL.Path)() // want `deferred t.begin\(r.URL.Path\)\(\) → inflight.begin → the function literal it returns .* t.samples <- sample`
		next.ServeHTTP(w, r)
	})
}

func (t *inflight) quietMiddleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer t.beginQuiet(r.URL.Path)()
		next.ServeHTTP(w, r)
	})
}
