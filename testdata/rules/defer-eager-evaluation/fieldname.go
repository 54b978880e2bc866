package eager

import "net/http"

type routeStats struct{ counts map[string]map[int]int }

func (m *routeStats) observe(route string, status int) { m.counts[route][status]++ }

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	w.status = code
	w.ResponseWriter.WriteHeader(code)
}

// status is assigned from a field that happens to share its name: the new value does not derive
// from the old one, and the deferred call still records the default.
func (m *routeStats) wrap(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w}
		status := http.StatusOK
		defer m.observe(route, status) // want `defer m\.observe\(route, status\) receives status as it is at the defer statement on line \d+; status is assigned again on line \d+`
		next.ServeHTTP(rec, r)
		if rec.status != 0 {
			status = rec.status
		}
	})
}

// The deferred literal reads status at exit. No finding.
func (m *routeStats) wrapClosure(route string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rec := &statusWriter{ResponseWriter: w}
		status := http.StatusOK
		defer func() { m.observe(route, status) }()
		next.ServeHTTP(rec, r)
		if rec.status != 0 {
			status = rec.status
		}
	})
}
