package gateway

import (
	"fmt"
	"net/http"
	"strings"
)

// runFilter runs an operator-supplied filter and turns a panic into an error.
func (g *Gateway) runFilter(f Filter, r *http.Request) (err error) {
	defer func() {
		report := func() {
			if p := recover(); p != nil { // HAZ recover-ineffective
				err = fmt.Errorf("filter panicked: %v", p)
			}
		}
		report()
	}()
	return f(r)
}

// emitAccess hands a record to the access log callback. A broken callback
// must not fail the request.
func (g *Gateway) emitAccess(rec AccessRecord) {
	if g.accessLog == nil {
		return
	}
	defer func() { recover() }() // HAZ recover-swallows-panic
	g.accessLog(rec)
}

// RequireHeader rejects requests without the header.
func RequireHeader(name string) Filter {
	return func(r *http.Request) error {
		if r.Header.Get(name) == "" {
			return fmt.Errorf("missing %s header", name)
		}
		return nil
	}
}

// DenyPathPrefix rejects requests under prefix.
func DenyPathPrefix(prefix string) Filter {
	return func(r *http.Request) error {
		if strings.HasPrefix(r.URL.Path, prefix) {
			return fmt.Errorf("path %s is not exposed", r.URL.Path)
		}
		return nil
	}
}

// safeFilter wraps a filter so that a panic is logged and re-raised with
// context; the recover is called directly by the deferred closure.
func (g *Gateway) safeFilter(f Filter) Filter {
	return func(r *http.Request) error {
		defer func() {
			if p := recover(); p != nil {
				g.log.Error("filter panic", "path", r.URL.Path, "panic", p)
				panic(p)
			}
		}()
		return f(r)
	}
}
