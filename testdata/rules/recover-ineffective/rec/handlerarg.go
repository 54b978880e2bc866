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
