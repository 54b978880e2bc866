package rec

import (
	"fmt"
	"net/http"
)

// The recover runs after next returns, in a handler nobody defers: it never sees a panic.
func guardAfter(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		next(w, r)
		if p := recover(); p != nil { // want `recover\(\) in the function literal on line \d+ returns nil: the function literal on line \d+ is a request handler, which the server calls and never defers`
			http.Error(w, fmt.Sprint(p), http.StatusInternalServerError)
		}
	}
}

// A named handler registered on a mux, with the same mistake.
func statusHandler(w http.ResponseWriter, r *http.Request) {
	fmt.Fprintln(w, "ok")
	if p := recover(); p != nil { // want `recover\(\) in statusHandler returns nil: statusHandler is a request handler`
		w.WriteHeader(http.StatusInternalServerError)
	}
}

func routes(mux *http.ServeMux) {
	mux.HandleFunc("/status", statusHandler)
}

// The recover in a literal the handler defers: it works.
func guardDeferred(next http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				http.Error(w, fmt.Sprint(p), http.StatusInternalServerError)
			}
		}()
		next(w, r)
	}
}
