package api

import (
	"context"
	"errors"
	"log"
	"net/http"
	"time"
)

// Serve runs srv until ctx is cancelled or the listener fails, then shuts it
// down with a bounded grace period.
func Serve(ctx context.Context, srv *http.Server, logger *log.Logger) error {
	errc := make(chan error, 1)
	go func() {
		errc <- srv.ListenAndServe()
	}()
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		if err := srv.Shutdown(sctx); err != nil {
			logger.Printf("api: shutdown: %v", err)
		}
	}()
	select {
	case err := <-errc:
		if errors.Is(err, http.ErrServerClosed) {
			return nil
		}
		return err
	case <-ctx.Done():
		return nil
	}
}

// NewHTTPServer returns a server with production timeouts.
func NewHTTPServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}
