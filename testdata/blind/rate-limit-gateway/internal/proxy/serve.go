package proxy

import (
	"context"
	"errors"
	"net/http"
	"time"
)

// Serve runs srv until ctx is done and then shuts it down gracefully.
func Serve(ctx context.Context, srv *http.Server) error {
	errc := make(chan error)
	go func() {
		errc <- srv.ListenAndServe() // HAZ goroutine-blocked-send
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return srv.Shutdown(sctx)
}

// ServeListener is Serve for a server whose listener is already open; the
// serve error is always collected.
func ServeListener(ctx context.Context, srv *http.Server, serve func() error) error {
	errc := make(chan error, 1)
	go func() {
		errc <- serve()
	}()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err := srv.Shutdown(sctx)
	if serr := <-errc; !errors.Is(serr, http.ErrServerClosed) {
		err = errors.Join(err, serr)
	}
	return err
}
