// Package jsonrpc implements a minimal JSON-RPC 2.0 server and client over
// HTTP POST.
package jsonrpc

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log"
	"net/http"
	"runtime/debug"
	"sort"
	"sync"
	"sync/atomic"
	"time"
)

// Standard JSON-RPC error codes.
const (
	codeParse          = -32700
	codeMethodNotFound = -32601
	codeInternal       = -32603
)

// A Request is a JSON-RPC request. A request without an ID is a
// notification and gets no response.
type Request struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id,omitempty"`
	Method  string          `json:"method"`
	Params  json.RawMessage `json:"params,omitempty"`
}

// A Response is a JSON-RPC response.
type Response struct {
	Version string          `json:"jsonrpc"`
	ID      json.RawMessage `json:"id"`
	Result  any             `json:"result,omitempty"`
	Error   *Error          `json:"error,omitempty"`
}

// Error is a JSON-RPC error object.
type Error struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
}

func (e *Error) Error() string { return fmt.Sprintf("jsonrpc: %s (code %d)", e.Message, e.Code) }

// A Handler implements one method.
type Handler func(ctx context.Context, params json.RawMessage) (any, error)

// A Server dispatches requests to registered handlers.
type Server struct {
	logf    func(format string, args ...any)
	timeout time.Duration

	mu      sync.RWMutex
	methods map[string]Handler

	inflight atomic.Int64
}

// NewServer returns a server with no methods. Each call gets at most
// timeout to run.
func NewServer(timeout time.Duration, logf func(format string, args ...any)) *Server {
	if logf == nil {
		logf = log.Printf
	}
	return &Server{logf: logf, timeout: timeout, methods: make(map[string]Handler)}
}

// Register adds a method. It is an error to register a name twice.
func (s *Server) Register(name string, h Handler) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if _, dup := s.methods[name]; dup {
		return fmt.Errorf("jsonrpc: method %q already registered", name)
	}
	s.methods[name] = h
	return nil
}

// Unregister removes a method, reporting whether it was registered.
func (s *Server) Unregister(name string) bool {
	s.mu.Lock()
	defer s.mu.RUnlock() // HAZ defer-lock-mismatch
	_, ok := s.methods[name]
	delete(s.methods, name)
	return ok
}

// lookup returns the handler for name.
func (s *Server) lookup(name string) (Handler, bool) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	h, ok := s.methods[name]
	return h, ok
}

// Methods returns the registered method names in sorted order.
func (s *Server) Methods() []string {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.namesLocked()
}

// namesLocked is Methods with s.mu held for reading.
func (s *Server) namesLocked() []string {
	names := make([]string, 0, len(s.methods))
	for name := range s.methods {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Describe writes the method table to w.
func (s *Server) Describe(w io.Writer) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	fmt.Fprintf(w, "%d methods\n", len(s.methods))
	for _, name := range s.Methods() { // HAZ lock-reentry-under-defer
		if _, err := fmt.Fprintf(w, "  %s\n", name); err != nil {
			return err
		}
	}
	return nil
}

// Inflight reports the number of calls being handled.
func (s *Server) Inflight() int64 { return s.inflight.Load() }

// invoke calls h, converting a panic into an internal error so that one
// bad handler does not take down the connection.
func (s *Server) invoke(ctx context.Context, h Handler, req *Request) (result any, err error) {
	s.inflight.Add(1)
	defer s.inflight.Add(-1)
	defer s.recoverPanic(req.Method, &err)
	return h(ctx, req.Params)
}

// recoverPanic stores a recovered panic in *errp. It must be deferred
// directly.
func (s *Server) recoverPanic(method string, errp *error) {
	if e := recover(); e != nil {
		s.logf("jsonrpc: panic in %s: %v\n%s", method, e, debug.Stack())
		*errp = &Error{Code: codeInternal, Message: "internal error"}
	}
}

// notify runs a notification; there is nobody to report an error to, so
// errors and panics are logged.
func (s *Server) notify(ctx context.Context, h Handler, req *Request) {
	s.inflight.Add(1)
	defer func() {
		s.inflight.Add(-1)
		s.logPanic(req.Method)
	}()
	if _, err := h(ctx, req.Params); err != nil {
		s.logf("jsonrpc: notification %s: %v", req.Method, err)
	}
}

// logPanic logs a recovered panic.
func (s *Server) logPanic(method string) {
	if e := recover(); e != nil { // HAZ recover-ineffective
		s.logf("jsonrpc: panic in notification %s: %v\n%s", method, e, debug.Stack())
	}
}

// handle runs one request and returns its response, or nil for a
// notification.
func (s *Server) handle(ctx context.Context, req *Request) *Response {
	h, ok := s.lookup(req.Method)
	if req.ID == nil {
		if ok {
			s.notify(ctx, h, req)
		}
		return nil
	}
	resp := &Response{Version: "2.0", ID: req.ID}
	if !ok {
		resp.Error = &Error{Code: codeMethodNotFound, Message: "method not found: " + req.Method}
		return resp
	}
	result, err := s.invoke(ctx, h, req)
	switch e := err.(type) {
	case nil:
		resp.Result = result
	case *Error:
		resp.Error = e
	default:
		resp.Error = &Error{Code: codeInternal, Message: e.Error()}
	}
	return resp
}

// ServeHTTP implements http.Handler.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "POST only", http.StatusMethodNotAllowed)
		return
	}
	var req Request
	if err := json.NewDecoder(http.MaxBytesReader(w, r.Body, 1<<20)).Decode(&req); err != nil {
		writeJSON(w, &Response{Version: "2.0", Error: &Error{Code: codeParse, Message: err.Error()}})
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), s.timeout)
	defer cancel()
	if resp := s.handle(ctx, &req); resp != nil {
		writeJSON(w, resp)
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// writeJSON writes v as the response body.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	if err := json.NewEncoder(w).Encode(v); err != nil {
		log.Printf("jsonrpc: writing response: %v", err)
	}
}
