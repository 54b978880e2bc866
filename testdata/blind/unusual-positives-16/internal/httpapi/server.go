package httpapi

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"
)

// Server is the archive's HTTP front end.
type Server struct {
	srv        *http.Server
	onShutdown func()
}

// Option configures a Server.
type Option func(*Server)

// WithShutdownHook makes the server call f when it stops serving.
func WithShutdownHook(f func()) Option {
	return func(s *Server) { s.onShutdown = f }
}

// NewServer returns a Server for h listening on addr.
func NewServer(addr string, h *Handler, opts ...Option) *Server {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /entry", h.ServeEntry)
	mux.HandleFunc("GET /payload", h.ServePayload)
	mux.HandleFunc("GET /entries", h.ServeList)
	mux.HandleFunc("GET /remote", h.ServeRemote)
	mux.HandleFunc("GET /healthz", h.ServeHealth)
	s := &Server{srv: &http.Server{Addr: addr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}}
	for _, o := range opts {
		o(s)
	}
	return s
}

// Serve accepts connections on ln until the server is shut down.
func (s *Server) Serve(ln net.Listener) error {
	defer s.onShutdown() // HAZ defer-nil-func
	err := s.srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// ListenAndServe listens on the configured address and serves until shut down.
func (s *Server) ListenAndServe() error {
	if hook := s.onShutdown; hook != nil {
		defer hook()
	}
	err := s.srv.ListenAndServe()
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}

// Shutdown stops the server gracefully within the deadline of ctx.
func (s *Server) Shutdown(ctx context.Context) error {
	return s.srv.Shutdown(ctx)
}
