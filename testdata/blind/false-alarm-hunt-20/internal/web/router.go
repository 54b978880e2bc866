package web

import (
	"net/http"
	"sync"
)

// Middleware wraps a handler.
type Middleware func(http.Handler) http.Handler

// Router is a ServeMux with a middleware chain and web.Abort support.
type Router struct {
	mux        *http.ServeMux
	middleware []Middleware
	handler    http.Handler
	once       sync.Once
}

// NewRouter returns an empty router.
func NewRouter() *Router { return &Router{mux: http.NewServeMux()} }

// Use appends middleware; the first one added is the outermost.
func (rt *Router) Use(mw ...Middleware) { rt.middleware = append(rt.middleware, mw...) }

// Handle registers h for a ServeMux pattern.
func (rt *Router) Handle(pattern string, h http.Handler) { rt.mux.Handle(pattern, h) }

// HandleFunc registers fn for a ServeMux pattern.
func (rt *Router) HandleFunc(pattern string, fn func(http.ResponseWriter, *http.Request)) {
	rt.mux.HandleFunc(pattern, fn)
}

// Chain applies mws to h so that mws[0] runs first.
func Chain(h http.Handler, mws ...Middleware) http.Handler {
	for i := len(mws) - 1; i >= 0; i-- {
		h = mws[i](h)
	}
	return h
}

type abortSignal struct {
	code int
	msg  string
}

// Abort stops the current handler and makes the router answer code and msg.
func Abort(code int, msg string) { panic(abortSignal{code: code, msg: msg}) }

// IsAbort reports whether a recovered value came from Abort; recovery
// middleware must re-panic such values so the router can answer them.
func IsAbort(v any) bool {
	_, ok := v.(abortSignal)
	return ok
}

// ServeHTTP runs the chain and turns Abort into a response. Any other panic
// continues to the server, which logs it.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	rt.once.Do(func() { rt.handler = Chain(rt.mux, rt.middleware...) })
	defer func() {
		v := recover()
		if v == nil {
			return
		}
		sig, ok := v.(abortSignal)
		if !ok {
			panic(v)
		}
		Error(w, sig.code, sig.msg)
	}()
	rt.handler.ServeHTTP(w, r)
}
