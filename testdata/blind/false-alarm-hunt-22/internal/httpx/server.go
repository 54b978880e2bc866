// Package httpx holds the HTTP plumbing shared by the relay services: a
// context-driven server lifecycle, middleware and response helpers.
package httpx

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net"
	"net/http"
	"time"
)

// Server wraps http.Server with a context-driven lifecycle.
type Server struct {
	srv   *http.Server
	grace time.Duration
	lg    *log.Logger
}

// New returns a Server for h on addr. grace bounds the drain on shutdown.
func New(addr string, h http.Handler, grace time.Duration, lg *log.Logger) *Server {
	return &Server{
		srv: &http.Server{
			Addr:              addr,
			Handler:           h,
			ReadHeaderTimeout: 5 * time.Second,
			IdleTimeout:       90 * time.Second,
			ErrorLog:          lg,
		},
		grace: grace,
		lg:    lg,
	}
}

// Run serves until ctx is cancelled or the listener fails, then drains
// in-flight requests for at most the grace period.
func (s *Server) Run(ctx context.Context) error {
	errCh := make(chan error, 1)
	go func() {
		errCh <- s.srv.ListenAndServe()
	}()

	select {
	case err := <-errCh:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return fmt.Errorf("httpx: listen %s: %w", s.srv.Addr, err)
	case <-ctx.Done():
	}

	s.lg.Printf("httpx: draining %s (grace %s)", s.srv.Addr, s.grace)
	shCtx, cancel := context.WithTimeout(context.Background(), s.grace)
	defer cancel()
	if err := s.srv.Shutdown(shCtx); err != nil {
		return fmt.Errorf("httpx: shutdown: %w", err)
	}
	return nil
}

// ServeListener serves on ln. Cancelling ctx starts a graceful shutdown that
// is bounded by the grace period.
func (s *Server) ServeListener(ctx context.Context, ln net.Listener) error {
	stop := context.AfterFunc(ctx, func() {
		shCtx, cancel := context.WithTimeout(context.Background(), s.grace)
		defer cancel()
		if err := s.srv.Shutdown(shCtx); err != nil {
			s.lg.Printf("httpx: shutdown: %v", err)
		}
	})
	defer stop()

	err := s.srv.Serve(ln)
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
