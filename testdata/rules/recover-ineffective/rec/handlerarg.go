package rec

import (
	"log"
	"net/http"
)

type webhook struct{ panics int }

func (s *webhook) reportPanic(path string, v any) {
	if v == nil {
		return
	}
	s.panics++
	log.Printf("panic on %s: %v", path, v)
}

// The handler literal is run by net/http, never deferred: recover() in the defer's arguments
// runs at the defer statement and returns nil.
func (s *webhook) withPanicReport(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer s.reportPanic(r.URL.Path, recover()) // want `recover\(\) in the arguments of s\.reportPanic\(r\.URL\.Path, recover\(\)\) is evaluated when the defer statement runs`
		next.ServeHTTP(w, r)
	})
}

// Inside a literal that is itself deferred, the deferred function is the one calling recover.
func (s *webhook) serve(path string, work func()) {
	defer func() {
		defer s.reportPanic(path, recover())
	}()
	work()
}

// A handler method registered as a value: net/http calls it and nothing defers it, so recover()
// in the defer's arguments returns nil.
func (s *webhook) handleAdjust(w http.ResponseWriter, r *http.Request) {
	defer s.reportPanic(r.URL.Path, recover()) // want `recover\(\) in the arguments of s\.reportPanic\(r\.URL\.Path, recover\(\)\) is evaluated when the defer statement runs`
	w.WriteHeader(http.StatusNoContent)
}

// A method used as a value that is no handler (a cleanup handed to a runner that defers it):
// whoever runs it may defer it, and then the recover in its defer's arguments is called by it.
func (s *webhook) finish(path string) {
	defer s.reportPanic(path, recover())
}

func (s *webhook) routes(mux *http.ServeMux, run func(func(string))) {
	mux.HandleFunc("/adjust", s.handleAdjust)
	run(s.finish)
}
